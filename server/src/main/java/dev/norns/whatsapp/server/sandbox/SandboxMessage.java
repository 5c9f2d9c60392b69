package dev.norns.whatsapp.server.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A message the sandbox accepted, as {@code GET /sandbox/messages} lists it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SandboxMessage(
    @JsonProperty("sid") String sid,
    @JsonProperty("account_sid") String accountSid,
    @JsonProperty("to") String toNumber,
    @JsonProperty("from") String fromNumber,
    @JsonProperty("body") String body,
    @JsonProperty("content_sid") String contentSid,
    @JsonProperty("content_variables") String contentVariables,
    @JsonProperty("status") String status,
    @JsonProperty("status_callback") String statusCallback,
    @JsonProperty("created_at") Instant createdAt) {}
