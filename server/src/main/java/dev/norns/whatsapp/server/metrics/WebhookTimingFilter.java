package dev.norns.whatsapp.server.metrics;

import dev.norns.whatsapp.server.warmup.WarmUp;
import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import dev.norns.whatsapp.server.security.TwilioWebhook;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import java.util.concurrent.TimeUnit;

/**
 * Times every Twilio webhook from before the signature check to the answer, tagged by webhook and HTTP status:
 * Twilio gives up after 15 s, and the runbook's first health signal is "webhook response time".
 */
@TwilioWebhook
@Priority(Priorities.AUTHENTICATION - 100)
public final class WebhookTimingFilter implements ContainerRequestFilter, ContainerResponseFilter {
  private static final String STARTED = WebhookTimingFilter.class.getName() + ".started";
  private final ChannelMetrics metrics;
  /** Where the instance's own warm-up calls are timed: the same code, a registry nobody reads. */
  private final ChannelMetrics warmUp = new ChannelMetrics(
      new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));

  public WebhookTimingFilter(ChannelMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    request.setProperty(STARTED, System.nanoTime());
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Object started = request.getProperty(STARTED);
    if (started instanceof Long start) {
      String path = request.getUriInfo().getPath();
      String webhook = path.endsWith("status") ? "status" : path.endsWith("webhook") ? "inbound" : path;
      // The instance's own warm-up calls are not Twilio's: left out of the webhook metrics.
      ChannelMetrics into = WarmUp.marks(request.getHeaderString(WarmUp.HEADER)) ? warmUp : metrics;
      into.webhook(webhook, response.getStatus()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }
}
