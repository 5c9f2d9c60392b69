package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.workflows.model.QuietHours;
import jakarta.validation.constraints.Pattern;

/**
 * A user's quiet hours as the API reads and writes them: {@code {"start":"22:00","end":"07:00"}} sets them (local
 * times in the user's zone), {@code {"enabled":false}} turns them off, {@code {"enabled":true}} back to the default
 * 21:00–08:00 (or the times given).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QuietHoursSetting(
    @JsonProperty("enabled") Boolean enabled,
    @JsonProperty("start")
    @Pattern(regexp = Patterns.LOCAL_TIME, message = "'${validatedValue}' is not a local time HH:mm (00:00 to 23:59)")
    String start,
    @JsonProperty("end")
    @Pattern(regexp = Patterns.LOCAL_TIME, message = "'${validatedValue}' is not a local time HH:mm (00:00 to 23:59)")
    String end) {

  public static QuietHoursSetting of(UserRow row) {
    QuietHours quiet = row.quietHours();
    return quiet == null ? new QuietHoursSetting(false, null, null)
        : new QuietHoursSetting(true, quiet.start(), quiet.end());
  }
}
