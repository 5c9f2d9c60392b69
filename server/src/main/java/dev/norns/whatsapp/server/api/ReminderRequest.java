package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.server.api.validation.IsoDateTime;
import dev.norns.whatsapp.server.api.validation.IsoDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * A reminder (or, with {@code recurrence}, a series) as the API and the CLI receive it. The constraints here are what
 * the request shows by itself; what needs the database or the template registry (the user exists and may be sent to,
 * the template and its variables, due_at not too far ahead) is checked by {@code ReminderRequests}. {@code due_at}
 * stays text so a bad date is a 422 naming the field, not a parser error.
 */
public record ReminderRequest(
    @JsonProperty("user_id")
    @NotBlank(message = "user_id is required")
    @Pattern(regexp = Patterns.UUID, message = "'${validatedValue}' is not a UUID")
    String userId,
    @JsonProperty("template_name") String templateName,
    @JsonProperty("variables") Map<String, String> variables,
    @JsonProperty("body")
    @Pattern(regexp = Patterns.NOT_BLANK, message = "body is blank: leave it out to send the template's text")
    @Size(max = Patterns.MAX_BODY, message = "body is over WhatsApp's {max} characters")
    String body,
    @JsonProperty("due_at") @IsoDateTime String dueAt,
    @JsonProperty("nudge") @Valid Nudge nudge,
    @JsonProperty("recurrence") String recurrence,
    @JsonProperty("quiet_hours")
    @Pattern(regexp = "(?i)\\s*(respect|ignore)\\s*", message = "quiet_hours is \"respect\" (the default) or \"ignore\"")
    String quietHours) {

  /** The one-off request shape (no recurrence, the user's quiet hours respected). */
  public ReminderRequest(String userId, String templateName, java.util.Map<String, String> variables, String body,
      String dueAt, Nudge nudge) {
    this(userId, templateName, variables, body, dueAt, nudge, null, null);
  }

  /** Re-send until acknowledged: every ISO-8601 duration (e.g. PT30M), at most {@code max} times. */
  public record Nudge(
      @JsonProperty("every")
      @NotBlank(message = "nudge.every is required")
      @IsoDuration(min = "PT1M", max = "P7D", message = "nudge.every is an ISO-8601 duration between PT1M and P7D "
          + "(e.g. PT30M), not '${validatedValue}'")
      String every,
      @JsonProperty("max")
      @NotNull(message = "nudge.max must be 1 to 20")
      @Min(value = 1, message = "nudge.max must be 1 to 20")
      @Max(value = 20, message = "nudge.max must be 1 to 20")
      Integer max) {}
}
