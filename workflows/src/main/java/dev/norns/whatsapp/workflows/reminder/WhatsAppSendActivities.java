package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The only way a message reaches Twilio. Runs on the rate-limited send task queue. */
@ActivityInterface
public interface WhatsAppSendActivities {

  /**
   * Sends one message at most once per (reminder, attempt key), whatever retries or crashes happen. Transient Twilio
   * failures throw (Temporal retries them with backoff); classified refusals come back as an outcome.
   */
  @ActivityMethod(name = "SendWhatsApp")
  SendOutcome send(OutboundMessage message);

  /**
   * Asks Twilio where a message stands ({@code GET Messages/{sid}}) and records it: for a reminder that heard no final
   * status callback in time (the callback may have been lost to a crash). Null when Twilio has nothing to say.
   */
  @ActivityMethod(name = "LookupWhatsAppStatus")
  DeliveryUpdate lookup(String messageSid);
}
