package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.db.Json;
import dev.norns.whatsapp.activities.db.SeriesRow;
import dev.norns.whatsapp.workflows.series.SeriesState;
import java.time.Instant;
import java.util.Map;

/** A series of recurring reminders: its rule, content, state and coming occurrence. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeriesView(
    @JsonProperty("series_id") String seriesId,
    @JsonProperty("user_id") String userId,
    @JsonProperty("recurrence") String recurrence,
    @JsonProperty("timezone") String timezone,
    @JsonProperty("status") String status,
    @JsonProperty("next_due_at") Instant nextDueAt,
    @JsonProperty("next_reminder_id") String nextReminderId,
    @JsonProperty("occurrences") int occurrences,
    @JsonProperty("template_name") String templateName,
    @JsonProperty("variables") Map<String, String> variables,
    @JsonProperty("body") String body,
    @JsonProperty("quiet_hours") String quietHours,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("next_reminder") ReminderView nextReminder) {

  public static SeriesView of(SeriesRow row) {
    return new SeriesView(row.id().toString(), row.userId().toString(), "RRULE:" + row.recurrence(), row.timezone(),
        row.status(), row.nextDueAt(), row.nextReminderId() == null ? null : row.nextReminderId().toString(),
        row.occurrences(), row.templateName(), Json.readMap(row.variables()), row.body(), row.quietHours(),
        row.createdAt(), null);
  }

  public SeriesView withState(SeriesState state) {
    return new SeriesView(seriesId, userId, recurrence, timezone, state.status().name(), state.nextDueAt(),
        state.nextReminderId(), state.occurrences(), templateName, variables, body, quietHours, createdAt,
        nextReminder);
  }

  public SeriesView withNextReminder(ReminderView reminder) {
    return new SeriesView(seriesId, userId, recurrence, timezone, status, nextDueAt, nextReminderId, occurrences,
        templateName, variables, body, quietHours, createdAt, reminder);
  }
}
