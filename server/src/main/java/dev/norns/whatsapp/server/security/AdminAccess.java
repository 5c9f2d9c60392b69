package dev.norns.whatsapp.server.security;

import io.dropwizard.core.setup.AdminEnvironment;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

/**
 * The admin port's guards. It listens on loopback by default (ADMIN_BIND), but whatever can reach it must not change
 * the service: its tasks (log-level, gc) need a write API key, and the thread dump is off unless asked for. Health
 * checks, ping and metrics stay open, as monitoring expects.
 */
public final class AdminAccess {
  private AdminAccess() {}

  public static void protect(AdminEnvironment admin, ApiKeys keys, boolean threads) {
    admin.addFilter("admin-tasks-need-key", new TasksFilter(keys))
        .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/tasks/*", "/tasks");
    if (!threads) {
      admin.addFilter("admin-threads-off", new Refuse(404, "the thread dump is off (ADMIN_THREADS=true enables it)"))
          .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/threads/*", "/threads");
    }
  }

  private static void answer(ServletResponse response, int status, String error) throws IOException {
    HttpServletResponse http = (HttpServletResponse) response;
    http.setStatus(status);
    http.setContentType("application/json");
    byte[] body = ("{\"error\":\"" + error + "\"}").getBytes(StandardCharsets.UTF_8);
    http.setContentLength(body.length);
    http.getOutputStream().write(body);
  }

  private record TasksFilter(ApiKeys keys) implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      String given = ((HttpServletRequest) request).getHeader(ApiKeyAuthFilter.HEADER);
      var principal = given == null || given.isEmpty() ? java.util.Optional.<ApiPrincipal>empty()
          : keys.authenticate(given);
      if (principal.isEmpty()) {
        answer(response, 401, "admin tasks need a write X-API-Key");
      } else if (!principal.get().role().permits(ApiRole.WRITE)) {
        answer(response, 403, "admin tasks need a write X-API-Key; this one is read-only");
      } else {
        chain.doFilter(request, response);
      }
    }
  }

  private record Refuse(int status, String error) implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException {
      answer(response, status, error);
    }
  }
}
