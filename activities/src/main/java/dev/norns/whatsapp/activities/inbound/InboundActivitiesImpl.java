package dev.norns.whatsapp.activities.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.norns.whatsapp.activities.db.InboundMessageDao;
import dev.norns.whatsapp.activities.db.InboundMessageRow;
import dev.norns.whatsapp.activities.db.Json;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import dev.norns.whatsapp.workflows.inbound.InboundActivities;
import dev.norns.whatsapp.workflows.inbound.InboundInput;
import dev.norns.whatsapp.workflows.inbound.Interpretation;
import dev.norns.whatsapp.workflows.inbound.Interpretation.Kind;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import dev.norns.whatsapp.workflows.inbound.ReplyToReminder;
import io.temporal.client.WorkflowClient;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stateless and idempotent; see {@link InboundActivities}. */
public final class InboundActivitiesImpl implements InboundActivities {
  private static final Logger log = LoggerFactory.getLogger(InboundActivitiesImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);

  private final Jdbi jdbi;
  private final Clock clock;
  private final URI agentForwardUrl;
  private final ReplyTargets targets;
  private final ReminderCommands commands;
  private final ChannelMetrics metrics;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** {@code agentForwardUrl} may be null: ordinary messages are then only stored. */
  public InboundActivitiesImpl(Jdbi jdbi, Clock clock, URI agentForwardUrl, ChannelMetrics metrics,
      WorkflowClient temporal) {
    this.metrics = metrics;
    this.jdbi = jdbi;
    this.clock = clock;
    this.agentForwardUrl = agentForwardUrl;
    this.targets = new ReplyTargets(jdbi);
    this.commands = new ReminderCommands(jdbi, temporal);
  }

  @Override
  public Interpretation interpret(InboundInput input) {
    if (input.userId() == null) {
      // Not a user of ours, so never a command; the agent may still want to answer it.
      return new Interpretation(Kind.UNKNOWN_SENDER, null, null, null, List.of(), agentForwardUrl != null);
    }
    UUID userId = UUID.fromString(input.userId());
    UserRow user = jdbi.withExtension(UserDao.class, dao -> dao.find(userId)).orElseThrow();
    String text = input.buttonPayload() != null && !input.buttonPayload().isBlank()
        ? ReplyTargets.commandOf(input.buttonPayload()) : input.body();
    ReplyCommand command = ReplyCommand.parse(text, zone(user), clock);
    switch (command.kind()) {
      case STOP -> {
        jdbi.useExtension(UserDao.class, dao -> dao.setOptedOut(userId, true));
        List<String> pending = jdbi.withExtension(ReminderDao.class, dao -> dao.scheduledFor(userId)).stream()
            .map(r -> r.id().toString()).toList();
        log.info("whatsapp opt-out user={} via STOP; {} pending reminders end OPTED_OUT", userId, pending.size());
        return new Interpretation(Kind.STOP, null, null, "🔕 You won't get reminders here any more"
            + (pending.isEmpty() ? "" : " (" + pending.size() + " pending stopped)") + ". Send START to turn them "
            + "back on.", pending, false);
      }
      case START -> {
        jdbi.useExtension(UserDao.class, dao -> dao.setOptedOut(userId, false));
        log.info("whatsapp opt-in user={} via START", userId);
        return new Interpretation(Kind.START, null, null, "🔔 Reminders are back on. Send STOP to turn them off.",
            List.of(), false);
      }
      case JOIN -> {
        return new Interpretation(Kind.JOIN, null, null, null, List.of(), false);
      }
      case MESSAGE -> {
        return message();
      }
      default -> {
        List<ReminderRow> targets = this.targets.find(userId, input.repliedToSid(), input.buttonPayload(),
            clock.instant());
        if (targets.isEmpty()) {
          return message();
        }
        Kind kind = Kind.valueOf(command.kind().name());
        if (targets.size() > 1) {
          return new Interpretation(Kind.AMBIGUOUS, null, null, whichOne(command.kind().name(), targets), List.of(),
              false);
        }
        ReminderRow reminder = targets.get(0);
        return new Interpretation(kind, reminder.id().toString(), command.snoozeUntil(),
            reply(kind, reminder, command.snoozeUntil(), zone(user)), List.of(), false);
      }
    }
  }

  /** "Which one?": the open reminders, so the user can reply to (quote) the right one. */
  private static String whichOne(String command, List<ReminderRow> open) {
    StringBuilder text = new StringBuilder("You have " + open.size() + " open reminders; which one did you mean? "
        + "Reply to that reminder's message with \"" + command.toLowerCase(Locale.ROOT) + "\":");
    for (int i = 0; i < Math.min(open.size(), 5); i++) {
      text.append("\n").append(i + 1).append(". ").append(task(open.get(i)));
    }
    return text.toString();
  }

  private static String task(ReminderRow reminder) {
    return Json.readMap(reminder.variables()).getOrDefault("task_name",
        reminder.templateName() == null ? "your message" : reminder.templateName());
  }

  private Interpretation message() {
    return new Interpretation(Kind.MESSAGE, null, null, null, List.of(), agentForwardUrl != null);
  }

  private static String reply(Kind kind, ReminderRow reminder, Instant snoozeUntil, ZoneId zone) {
    String task = task(reminder);
    return switch (kind) {
      case DONE -> "✅ Done: " + task + ".";
      case SNOOZE -> "⏰ Snoozed: I'll remind you about " + task + " on " + WHEN.format(snoozeUntil.atZone(zone))
          + ".";
      default -> "🗑️ Cancelled: " + task + ". No more reminders about it.";
    };
  }

  private static ZoneId zone(UserRow user) {
    try {
      return ZoneId.of(user.timezone());
    } catch (DateTimeException e) {
      return ZoneId.of("UTC");
    }
  }

  @Override
  public String applyReply(ReplyToReminder reply) {
    return commands.apply(reply);
  }

  @Override
  public void forwardToAgent(String messageSid) {
    InboundMessageRow row = jdbi.withExtension(InboundMessageDao.class, dao -> dao.find(messageSid)).orElseThrow();
    ObjectNode body = JSON.createObjectNode()
        .put("message_sid", row.sid())
        .put("user_id", row.userId() == null ? null : row.userId().toString())
        .put("from", row.fromNumber())
        .put("profile_name", row.profileName())
        .put("body", row.body())
        .put("button_payload", row.buttonPayload())
        .put("button_text", row.buttonText())
        .put("replied_to_sid", row.repliedToSid())
        .put("received_at", row.receivedAt().toString());
    try {
      body.set("media", JSON.readTree(row.media()));
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(agentForwardUrl)
              .timeout(Duration.ofSeconds(20))
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", row.sid())
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        throw ApplicationFailure.newFailure("agent answered HTTP " + response.statusCode(), "AgentRefused");
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("agent unreachable: " + e, "AgentUnreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "AgentUnreachable");
    }
    log.info("whatsapp inbound {} forwarded to the agent", messageSid);
  }

  @Override
  public void markProcessed(String messageSid, String interpretation, String reminderId) {
    jdbi.useExtension(InboundMessageDao.class, dao -> dao.markProcessed(messageSid, interpretation,
        reminderId == null ? null : UUID.fromString(reminderId)));
    metrics.inbound(interpretation);
  }
}
