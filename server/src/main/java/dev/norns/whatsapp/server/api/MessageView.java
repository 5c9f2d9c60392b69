package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One message of a user's history: {@code direction} out (sent to them: a reminder, a nudge, a reply) or in (they
 * wrote), with its reminder, channel, Twilio status and error; {@code body} for what they wrote (what was sent is the
 * reminder's).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MessageView(
    @JsonProperty("direction") String direction,
    @JsonProperty("at") Instant at,
    @JsonProperty("message_sid") String messageSid,
    @JsonProperty("reminder_id") String reminderId,
    @JsonProperty("channel") String channel,
    @JsonProperty("status") String status,
    @JsonProperty("error_code") String errorCode,
    @JsonProperty("error_message") String errorMessage,
    @JsonProperty("body") String body) {}
