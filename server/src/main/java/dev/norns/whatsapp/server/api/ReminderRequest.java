package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code due_at} stays text so a bad date is a 422 naming the field, not a parser error. */
public record ReminderRequest(
    @JsonProperty("user_id") String userId,
    @JsonProperty("template_name") String templateName,
    @JsonProperty("variables") Map<String, String> variables,
    @JsonProperty("body") String body,
    @JsonProperty("due_at") String dueAt,
    @JsonProperty("nudge") Nudge nudge) {

  /** Re-send until acknowledged: every ISO-8601 duration (e.g. PT30M), at most {@code max} times. */
  public record Nudge(@JsonProperty("every") String every, @JsonProperty("max") Integer max) {}
}
