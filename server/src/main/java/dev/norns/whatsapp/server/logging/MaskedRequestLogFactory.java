package dev.norns.whatsapp.server.logging;

import dev.norns.whatsapp.server.warmup.WarmUp;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import io.dropwizard.request.logging.RequestLogFactory;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request log ({@code requestLog: type: masked}): Jetty's extended NCSA line, with every phone number in the path
 * and query string masked, written through the application's logging (logger {@code http.request}) so it follows
 * the same appenders and layout as every other line. Paths in {@code ignorePaths} (health checks) are not logged.
 */
@JsonTypeName("masked")
public class MaskedRequestLogFactory implements RequestLogFactory<RequestLog> {
  @JsonProperty
  private boolean enabled = true;

  @JsonProperty
  private List<String> ignorePaths = new ArrayList<>(List.of("/healthcheck"));

  @Override
  public boolean isEnabled() {
    return enabled;
  }

  @Override
  public RequestLog build(String name) {
    Logger log = LoggerFactory.getLogger("http.request");
    // The instance's calls to itself while warming up are not requests anyone made: their line is made (so that code
    // is compiled before the first real request) but not written.
    ThreadLocal<Boolean> warmUp = ThreadLocal.withInitial(() -> false);
    CustomRequestLog requestLog = new CustomRequestLog(line -> {
      String masked = PhoneNumbers.maskAll(line);
      if (!warmUp.get()) {
        log.info(masked);
      }
    }, CustomRequestLog.EXTENDED_NCSA_FORMAT) {
      @Override
      public void log(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response) {
        boolean marked = WarmUp.marks(request.getHeaders().get(WarmUp.HEADER));
        warmUp.set(marked);
        try {
          super.log(request, response);
        } finally {
          warmUp.set(false);
        }
      }
    };
    requestLog.setIgnorePaths(ignorePaths.toArray(String[]::new));
    return requestLog;
  }
}
