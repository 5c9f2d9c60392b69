package dev.norns.whatsapp.workflows;

import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.common.SearchAttributes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one place the reminder's custom search attributes are defined, so that operators can find reminders in the
 * Temporal UI ({@code ReminderStatus="FAILED"}, {@code UserId="…"}, {@code DueAt < "…"}). The names and types must
 * match what the cluster has registered (docker-compose's one-shot, or {@code temporal operator search-attribute
 * create}); the embedded server registers {@link #REGISTERED} itself.
 */
public final class ReminderSearchAttributes {
  public static final SearchAttributeKey<String> USER_ID = SearchAttributeKey.forKeyword("UserId");
  public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("ReminderStatus");
  public static final SearchAttributeKey<OffsetDateTime> DUE_AT = SearchAttributeKey.forOffsetDateTime("DueAt");
  public static final SearchAttributeKey<String> CHANNEL = SearchAttributeKey.forKeyword("Channel");

  /** Every attribute with the type the visibility store must index it as. */
  public static final Map<String, IndexedValueType> REGISTERED = registered();

  /** What the last upsert set; the workflow only upserts what changed, keeping its history short. */
  private String userId;
  private ReminderStatus status;
  private Instant dueAt;
  private Channel channel;

  private static Map<String, IndexedValueType> registered() {
    Map<String, IndexedValueType> types = new LinkedHashMap<>();
    types.put(USER_ID.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    types.put(STATUS.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    types.put(DUE_AT.getName(), IndexedValueType.INDEXED_VALUE_TYPE_DATETIME);
    types.put(CHANNEL.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    return Map.copyOf(types);
  }

  /** The attributes a reminder workflow starts with (set by the client in its WorkflowOptions). */
  public static SearchAttributes initial(String userId, Instant dueAt) {
    return SearchAttributes.newBuilder()
        .set(USER_ID, userId)
        .set(STATUS, ReminderStatus.SCHEDULED.name())
        .set(DUE_AT, utc(dueAt))
        .build();
  }

  /** The memo shown next to the workflow in the UI: what the reminder is, in one line. */
  public static Map<String, Object> memo(String templateName, String userId, Instant dueAt) {
    return Map.of("summary", templateName + " for " + userId + " due " + dueAt);
  }

  /** Remembers what the workflow was started with, so that the first change upserts only what changed. */
  public void startedWith(String user, ReminderState state) {
    userId = user;
    status = state.status();
    dueAt = state.dueAt();
    channel = state.channel();
  }

  /**
   * The updates that bring the attributes to {@code state} since the last call (empty when nothing changed), and
   * remembers them. Deterministic: it depends on workflow state only, so it may be called from workflow code.
   */
  public List<SearchAttributeUpdate<?>> changesTo(String user, ReminderState state) {
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>(4);
    if (!Objects.equals(userId, user) && user != null) {
      updates.add(USER_ID.valueSet(user));
      userId = user;
    }
    if (status != state.status()) {
      updates.add(STATUS.valueSet(state.status().name()));
      status = state.status();
    }
    if (!Objects.equals(dueAt, state.dueAt()) && state.dueAt() != null) {
      updates.add(DUE_AT.valueSet(utc(state.dueAt())));
      dueAt = state.dueAt();
    }
    if (channel != state.channel() && state.channel() != null) {
      updates.add(CHANNEL.valueSet(state.channel().wireName()));
      channel = state.channel();
    }
    return updates;
  }

  private static OffsetDateTime utc(Instant at) {
    return at.atOffset(ZoneOffset.UTC);
  }
}
