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
    @JsonProperty("nudge") Nudge nudge,
    @JsonProperty("recurrence") String recurrence,
    @JsonProperty("quiet_hours") String quietHours) {

  /** The one-off request shape (no recurrence, the user's quiet hours respected). */
  public ReminderRequest(String userId, String templateName, java.util.Map<String, String> variables, String body,
      String dueAt, Nudge nudge) {
    this(userId, templateName, variables, body, dueAt, nudge, null, null);
  }

  /** Re-send until acknowledged: every ISO-8601 duration (e.g. PT30M), at most {@code max} times. */
  public record Nudge(@JsonProperty("every") String every, @JsonProperty("max") Integer max) {}
}
