package dev.norns.whatsapp.workflows.model;

/**
 * One Twilio status callback, as relayed to the reminder workflow.
 *
 * @param outsideWindow Twilio's 63016 (the session window closed before the freeform message went out), classified
 *     where the callback was received: the workflow then falls back to the template
 */
public record DeliveryUpdate(String messageSid, DeliveryStatus status, String errorCode, String errorMessage,
    boolean outsideWindow) {

  public DeliveryUpdate(String messageSid, DeliveryStatus status, String errorCode, String errorMessage) {
    this(messageSid, status, errorCode, errorMessage, TwilioCodes.OUTSIDE_WINDOW.equals(errorCode));
  }
}
