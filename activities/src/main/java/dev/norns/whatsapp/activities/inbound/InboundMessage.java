package dev.norns.whatsapp.activities.inbound;

import java.time.Instant;
import java.util.List;

/** Twilio's inbound webhook, as received and spooled: the raw parameters we keep, and when it arrived. */
public record InboundMessage(String sid, String from, String to, String body, String profileName, String waId,
    List<Media> media, String buttonPayload, String buttonText, String repliedToSid, Instant receivedAt) {

  public record Media(String url, String contentType) {}
}
