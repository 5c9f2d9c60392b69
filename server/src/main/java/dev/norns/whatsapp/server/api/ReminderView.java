package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.db.Json;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.workflows.model.ReminderState;
import java.time.Instant;
import java.util.Map;

/** A reminder as the API shows it: the stored row, overlaid with the live workflow state when there is one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReminderView(
    @JsonProperty("reminder_id") String reminderId,
    @JsonProperty("user_id") String userId,
    @JsonProperty("status") String status,
    @JsonProperty("phase") String phase,
    @JsonProperty("due_at") Instant dueAt,
    @JsonProperty("template_name") String templateName,
    @JsonProperty("variables") Map<String, String> variables,
    @JsonProperty("body") String body,
    @JsonProperty("channel") String channel,
    @JsonProperty("channel_reason") String channelReason,
    @JsonProperty("message_sid") String messageSid,
    @JsonProperty("attempts") int attempts,
    @JsonProperty("last_error_code") String lastErrorCode,
    @JsonProperty("last_error") String lastError,
    @JsonProperty("sent_at") Instant sentAt,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("source") String source,
    @JsonProperty("note") String note,
    @JsonProperty("quiet_hours") String quietHours,
    @JsonProperty("deferred_until") Instant deferredUntil,
    @JsonProperty("deferred_reason") String deferredReason,
    @JsonProperty("series_id") String seriesId) {

  public static ReminderView of(ReminderRow row) {
    return new ReminderView(row.id().toString(), row.userId().toString(), row.status(), row.phase(), row.dueAt(),
        row.templateName(), Json.readMap(row.variables()), row.body(), row.channel(), row.channelReason(),
        row.messageSid(), row.attempts(), row.lastErrorCode(), row.lastError(), row.sentAt(), row.createdAt(),
        "database", null, row.quietHours(), row.deferredUntil(), row.deferredReason(),
        row.seriesId() == null ? null : row.seriesId().toString());
  }

  /** The reminder from its workflow alone (PostgreSQL unreachable): no user, content or creation time. */
  public static ReminderView fromWorkflow(ReminderState state) {
    return new ReminderView(state.reminderId(), null, null, null, null, null, null, null, null, null, null, 0, null,
        null, null, null, "workflow", "PostgreSQL is unreachable: the live state only", null, null, null, null)
        .withWorkflowState(state);
  }

  public ReminderView withWorkflowState(ReminderState state) {
    Instant deferred = state.deferredUntil();
    String reason = state.deferredReason();
    if (deferred == null && state.phase() == dev.norns.whatsapp.workflows.model.Phase.SCHEDULED
        && state.dueAt() != null && state.dueAt().equals(dueAt)) {
      // The workflow has not run its first task yet: the deferral the API stored with the row stands.
      deferred = deferredUntil;
      reason = deferredReason;
    }
    return new ReminderView(reminderId, userId, state.status().name(), state.phase().name(), state.dueAt(),
        templateName, variables, body,
        state.channel() == null ? null : state.channel().wireName(), state.channelReason(), state.messageSid(),
        state.attempts(), state.lastErrorCode(), state.lastError(), state.sentAt(), createdAt, "workflow", note,
        quietHours, deferred, reason, seriesId);
  }

  public ReminderView withNote(String text) {
    return new ReminderView(reminderId, userId, status, phase, dueAt, templateName, variables, body, channel,
        channelReason,
        messageSid, attempts, lastErrorCode, lastError, sentAt, createdAt, source, text, quietHours, deferredUntil,
        deferredReason, seriesId);
  }
}
