package dev.norns.whatsapp.workflows.model;

import java.util.Map;

/**
 * One send to Twilio. {@code reminderId} + {@code attemptKey} identify it across activity retries, worker crashes and
 * process restarts: the send activity never calls Twilio twice for the same pair.
 *
 * @param userId whose reminder it is: the activity resolves the phone number and the session window from it
 * @param to a number to send to instead of the user's (a reply to the number that just wrote); null: the user's
 * @param channel {@code FREEFORM}/{@code TEMPLATE} to force one; null lets the session window decide
 */
public record OutboundMessage(
    String reminderId,
    String attemptKey,
    String userId,
    String to,
    Channel channel,
    String templateName,
    Map<String, String> variables,
    String body) {

  /** The attempt key of a round's first send ("send-1"; later rounds prefix it: "r2-send-1"). */
  public static final String FIRST_SEND = "send-1";}
