package dev.norns.whatsapp.activities.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norns.whatsapp.activities.db.InboundMessageDao;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.activities.session.SessionWindows;
import dev.norns.whatsapp.workflows.inbound.Interpretation;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * record_inbound: stores a spooled message in PostgreSQL (once per SID), resolves the sender to a user, and opens or
 * refreshes their 24-hour session window. Safe to run twice for the same message.
 */
public final class InboundRecorder {
  private static final Logger log = LoggerFactory.getLogger(InboundRecorder.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Jdbi jdbi;
  private final SessionWindows sessions;
  private final PhoneNumbers phones;
  private final boolean forwarding;
  private final ChannelMetrics metrics;

  /** {@code forwarding}: an agent endpoint is configured, so every ordinary message goes to it (in a workflow). */
  public InboundRecorder(Jdbi jdbi, SessionWindows sessions, PhoneNumbers phones, boolean forwarding,
      ChannelMetrics metrics) {
    this.jdbi = jdbi;
    this.sessions = sessions;
    this.phones = phones;
    this.forwarding = forwarding;
    this.metrics = metrics;
  }

  /**
   * Runs {@code work} (calls of {@link #record} and {@link #settleWithoutWorkflow}) in one PostgreSQL transaction: their
   * statements share its connection, and it commits once.
   */
  public void inTransaction(Runnable work) {
    jdbi.useTransaction(handle -> work.run());
  }

  /** What was recorded: the sender's E.164 number and user (null if unknown). */
  public record Recorded(String sid, String phone, UUID userId, boolean firstTime) {}

  public Recorded record(InboundMessage message) {
    String phone = phones.normalize(message.from())
        .orElseThrow(() -> new IllegalArgumentException("not a WhatsApp sender: " + message.from()));
    Optional<UserRow> user = jdbi.withExtension(UserDao.class, dao -> dao.findByPhone(phone));
    UUID userId = user.map(UserRow::id).orElse(null);
    if (userId == null) {
      log.warn("whatsapp resolve_user phone={} sid={}: no user has this number; message stored, not acted on",
          PhoneNumbers.mask(phone), message.sid());
    } else {
      log.info("whatsapp resolve_user phone={} sid={} user={}", PhoneNumbers.mask(phone), message.sid(), userId);
    }
    boolean first = jdbi.withExtension(InboundMessageDao.class, dao -> dao.insert(message.sid(), userId, phone,
        message.profileName(), message.body() == null ? "" : message.body(), media(message),
        message.buttonPayload(), message.buttonText(), message.repliedToSid(), message.receivedAt()));
    sessions.recordInbound(phone, message.receivedAt());
    log.info("whatsapp session phone={} window refreshed by {} (until +24h from {})", PhoneNumbers.mask(phone),
        message.sid(), message.receivedAt());
    return new Recorded(message.sid(), phone, userId, first);
  }

  /**
   * Settles a message nothing acts on, without a workflow: one from no user of ours, or one that is no command (no
   * button, text that is not DONE/SNOOZE/STOP/…), when there is no agent to forward it to. Its workflow would only
   * read it and mark it processed; Temporal's capacity (about 50 workflow starts a second on a 2-core machine) is kept
   * for reminders and for the messages that have steps to retry: commands, replies, forwarding.
   *
   * @return how it was settled, or empty when the message needs its workflow
   */
  public Optional<Interpretation.Kind> settleWithoutWorkflow(Recorded recorded, InboundMessage message) {
    if (forwarding) {
      return Optional.empty();
    }
    Interpretation.Kind kind;
    if (recorded.userId() == null) {
      kind = Interpretation.Kind.UNKNOWN_SENDER;
    } else if ((message.buttonPayload() == null || message.buttonPayload().isBlank())
        && ReplyCommand.parse(message.body(), ZoneOffset.UTC, Clock.systemUTC()).kind() == ReplyCommand.Kind.MESSAGE) {
      kind = Interpretation.Kind.MESSAGE;
    } else {
      return Optional.empty();
    }
    jdbi.useExtension(InboundMessageDao.class, dao -> dao.markProcessed(message.sid(), kind.name(), null));
    metrics.inbound(kind.name());
    log.info("whatsapp inbound {} handled as {} (nothing to act on: no workflow)", message.sid(), kind);
    return Optional.of(kind);
  }

  private static String media(InboundMessage message) {
    try {
      return JSON.writeValueAsString(message.media() == null ? java.util.List.of() : message.media());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
