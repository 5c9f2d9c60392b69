package dev.norns.whatsapp.server.resources;

import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.activities.reminder.DeliveryLedger;
import dev.norns.whatsapp.server.core.StatusRelay;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.server.security.TwilioWebhook;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twilio's status callback. The status is stored first (one-way maximum, idempotent), then handed to the workflow
 * off the request thread, so Twilio gets its answer in milliseconds whatever Temporal is doing.
 */
@Path("/whatsapp/status")
@TwilioWebhook
public final class StatusCallbackResource {
  private static final Logger log = LoggerFactory.getLogger(StatusCallbackResource.class);
  static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

  private final DeliveryLedger ledger;
  private final StatusRelay relay;
  private final ChannelMetrics metrics;

  public StatusCallbackResource(DeliveryLedger ledger, StatusRelay relay, ChannelMetrics metrics) {
    this.ledger = ledger;
    this.relay = relay;
    this.metrics = metrics;
  }

  @POST
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_XML)
  public String callback(@FormParam("MessageSid") String sid, @FormParam("MessageStatus") String status,
      @FormParam("ErrorCode") String errorCode, @FormParam("ErrorMessage") String errorMessage,
      @FormParam("To") String to, @QueryParam("reminder") String reminderId,
      @QueryParam("attempt") String attemptKey) {
    if (sid == null || sid.isBlank() || status == null || status.isBlank()) {
      throw ApiException.invalid(sid == null || sid.isBlank() ? "MessageSid" : "MessageStatus",
          "a status callback needs MessageSid and MessageStatus");
    }
    DeliveryStatus reported = DeliveryStatus.fromTwilio(status);
    String code = errorCode == null || errorCode.isBlank() ? null : errorCode.strip();
    if (reported == null) {
      log.info("whatsapp status sid={} status={} not tracked; acknowledged", sid, status);
      return EMPTY_TWIML;
    }
    Optional<DeliveryLedger.Recorded> recorded = ledger.record(sid, reminderId, attemptKey, reported, code,
        errorMessage);
    if (recorded.isEmpty()) {
      log.warn("whatsapp status sid={} status={} to={} reminder={} attempt={}: no message of ours with that SID (or "
          + "an attempt that never reached Twilio): nothing changed, acknowledged", sid, status, PhoneNumbers.mask(to),
          reminderId, attemptKey);
      return EMPTY_TWIML;
    }
    DeliveryLedger.Recorded result = recorded.get();
    log.info("whatsapp status reminder={} sid={} to={} status={} stored={} error_code={}", result.reminderId(), sid,
        PhoneNumbers.mask(to), reported.twilioName(), result.status().twilioName(), code);
    if (result.changed()) {
      metrics.status(result.status().twilioName());
      if (code != null) {
        metrics.twilioError(code);
      }
    }
    if (result.relayed()) {
      relay.nudge();
    }
    return EMPTY_TWIML;
  }
}
