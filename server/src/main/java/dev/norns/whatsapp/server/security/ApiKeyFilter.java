package dev.norns.whatsapp.server.security;

import dev.norns.whatsapp.server.errors.ApiError;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Every {@code /api} call (and the sandbox's listing, which shows message contents) needs the X-API-Key header;
 * compared in constant time.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class ApiKeyFilter implements ContainerRequestFilter {
  public static final String HEADER = "X-API-Key";
  private final byte[] key;

  public ApiKeyFilter(String apiKey) {
    this.key = apiKey.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!protectedPath(request.getUriInfo().getPath())) {
      return;
    }
    String given = request.getHeaderString(HEADER);
    if (given == null || !MessageDigest.isEqual(key, given.getBytes(StandardCharsets.UTF_8))) {
      request.abortWith(Response.status(Response.Status.UNAUTHORIZED).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ApiError(given == null ? "missing X-API-Key header" : "wrong X-API-Key", HEADER)).build());
    }
  }

  private static boolean protectedPath(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    return p.equals("api") || p.startsWith("api/") || p.equals("sandbox") || p.startsWith("sandbox/");
  }
}
