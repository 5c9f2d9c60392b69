package dev.norns.whatsapp.server.resources;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.server.api.ReminderRequest;
import dev.norns.whatsapp.server.api.ReminderView;
import dev.norns.whatsapp.server.core.ReminderRequests;
import dev.norns.whatsapp.server.core.ReminderService;
import dev.norns.whatsapp.server.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Proactive send: the runbook's {@code POST /api/whatsapp/send}. It is a reminder due now, so it gets the same
 * durable workflow, channel choice, retries and status tracking; {@code ?wait=true} answers once Twilio has accepted
 * or refused it.
 */
@Path("/api/whatsapp/send")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class SendResource {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final ReminderService reminders;
  private final Clock clock;

  public SendResource(ReminderService reminders, Clock clock) {
    this.reminders = reminders;
    this.clock = clock;
  }

  /**
   * The runbook's body: a template with named variables, or just text. A send now ignores the user's quiet hours
   * unless {@code "quiet_hours":"respect"} says to hold it until they end.
   */
  public record SendRequest(
      @JsonProperty("user_id") String userId,
      @JsonProperty("template_name") String templateName,
      @JsonProperty("variables") Map<String, String> variables,
      @JsonProperty("body") String body,
      @JsonProperty("quiet_hours") String quietHours) {}

  @POST
  public Response send(SendRequest request, @QueryParam("wait") @DefaultValue("false") boolean wait,
      @HeaderParam("Idempotency-Key") String idempotencyKey) {
    if (request == null) {
      throw ApiException.invalid(null, "a JSON body is required");
    }
    if (request.templateName() == null && request.body() == null) {
      throw ApiException.invalid("template_name", "give a template_name (with variables) or a body");
    }
    ReminderService.Scheduled scheduled = reminders.schedule(new ReminderRequest(request.userId(),
        request.templateName(), request.variables(), request.body(), clock.instant().toString(), null, null,
        request.quietHours() == null ? ReminderRequests.IGNORE : request.quietHours()), idempotencyKey, false);
    ReminderView view = scheduled.reminder();
    if (wait) {
      view = reminders.awaitOutcome(UUID.fromString(view.reminderId()), WAIT);
    }
    // 201: created and under way. A send Twilio refused for good is over already: 200 with its final state
    // (status FAILED or OPTED_OUT, Twilio's code in last_error_code), never 201 as if it were going out.
    boolean refused = "FAILED".equals(view.status()) || "OPTED_OUT".equals(view.status());
    return Response.status(scheduled.created() && !refused ? Response.Status.CREATED : Response.Status.OK)
        .entity(view.withNote(null)).build();
  }
}
