package dev.norns.whatsapp.activities.twilio;

/**
 * A message Twilio accepted.
 *
 * @param sid    the message SID ({@code SM…}); status callbacks refer to it as {@code MessageSid}
 * @param status Twilio's status string at creation, usually "queued" ("accepted" with a Messaging Service). No
 *               status callback is sent for this initial status.
 */
public record SentMessage(String sid, String status) {}
