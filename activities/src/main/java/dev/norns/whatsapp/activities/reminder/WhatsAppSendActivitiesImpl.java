package dev.norns.whatsapp.activities.reminder;

import dev.norns.whatsapp.activities.db.MessageDao;
import dev.norns.whatsapp.activities.db.MessageRow;
import dev.norns.whatsapp.activities.db.Timestamps;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.session.SessionWindow;
import dev.norns.whatsapp.activities.session.SessionWindows;
import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.activities.templates.Template;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.activities.twilio.SentMessage;
import dev.norns.whatsapp.activities.twilio.TwilioErrors;
import dev.norns.whatsapp.activities.twilio.TwilioMessageSender;
import dev.norns.whatsapp.activities.twilio.TwilioSendException;
import dev.norns.whatsapp.activities.twilio.WireGate;
import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import dev.norns.whatsapp.workflows.model.TwilioCodes;
import dev.norns.whatsapp.workflows.reminder.ActivityErrors;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends at most once per (reminder, attempt key). A {@code messages} row is claimed before the Twilio call and settled
 * after it, so a retry or a restarted workflow finds what happened instead of sending again. When a worker died
 * mid-call (row still {@code sending}, no SID) nobody can tell whether Twilio took the message: the activity waits for
 * the status callback (whose URL names the reminder and attempt) to settle it, and after the grace period gives up as
 * UNKNOWN rather than risk a duplicate. Each Twilio send takes a slot of the sender's cap, shared by every
 * instance ({@link SendRateLimiter}), once its request is built and just before it is written ({@link WireGate}), and
 * holds it until Twilio's answer is back.
 */
public final class WhatsAppSendActivitiesImpl implements dev.norns.whatsapp.workflows.reminder.WhatsAppSendActivities {
  private static final Logger log = LoggerFactory.getLogger(WhatsAppSendActivitiesImpl.class);

  private final Jdbi jdbi;
  private final SessionWindows sessions;
  private final DeliveryLedger ledger;
  private final TwilioMessageSender twilio;
  private final SendRateLimiter rate;
  private final TemplateRegistry templates;
  private final URI publicBaseUrl;
  private final Duration ambiguityGrace;
  private final Clock clock;
  private final ChannelMetrics metrics;

  public WhatsAppSendActivitiesImpl(Jdbi jdbi, SessionWindows sessions, TwilioMessageSender twilio,
      SendRateLimiter rate, TemplateRegistry templates, URI publicBaseUrl, Duration ambiguityGrace, Clock clock,
      ChannelMetrics metrics) {
    this.metrics = metrics;
    this.jdbi = jdbi;
    this.sessions = sessions;
    this.ledger = new DeliveryLedger(jdbi);
    this.twilio = twilio;
    this.rate = rate;
    this.templates = templates;
    this.publicBaseUrl = publicBaseUrl;
    this.ambiguityGrace = ambiguityGrace;
    this.clock = clock;
  }

  @Override
  public DeliveryUpdate lookup(String messageSid) {
    TwilioMessageSender.MessageStatus answer;
    try {
      answer = twilio.fetch(messageSid);
    } catch (TwilioSendException e) {
      if (e.kind() == TwilioErrors.Kind.TRANSIENT) {
        throw ApplicationFailure.newFailure("Twilio lookup failed transiently (" + e.code() + "): " + e.getMessage(),
            ActivityErrors.TWILIO_TRANSIENT, e.code());
      }
      log.warn("whatsapp lookup sid={}: Twilio does not know it ({})", messageSid, e.code());
      return null;
    }
    DeliveryStatus status = DeliveryStatus.fromTwilio(answer.status());
    if (status == null) {
      return null;
    }
    ledger.record(messageSid, null, null, status, answer.errorCode(), answer.errorMessage());
    log.info("whatsapp lookup sid={} status={} error_code={}", messageSid, status.twilioName(), answer.errorCode());
    return new DeliveryUpdate(messageSid, status, answer.errorCode(), answer.errorMessage());
  }

  /** Where and on which channel a message goes; {@code refusal} set when it cannot go at all. */
  private record Route(String to, Channel channel, String reason, SendOutcome refusal) {}

  /**
   * The destination and channel: the given number and channel when the caller fixed them, else the user's phone and
   * the channel their session window allows right now (read just before the send, so the choice is as fresh as can
   * be; a window that closes in between is Twilio's 63016, handled by the workflow).
   */
  private Route route(OutboundMessage message) {
    if (message.to() != null) {
      return new Route(message.to(), message.channel() == null ? Channel.FREEFORM : message.channel(), null, null);
    }
    Optional<Recipient> user = message.userId() == null ? Optional.empty()
        : recipient(UUID.fromString(message.userId()));
    if (user.isEmpty() || user.get().phoneNumber() == null) {
      log.warn("whatsapp resolve_user user={} failed: {}", message.userId(), user.isEmpty() ? "no such user"
          : "no phone");
      return new Route(null, null, null, SendOutcome.refused(SendOutcome.Result.REJECTED, "USER_UNREACHABLE",
          user.isEmpty() ? "user " + message.userId() + " no longer exists"
              : "user " + message.userId() + " has no phone number"));
    }
    String phone = user.get().phoneNumber();
    if (user.get().optedOutAt() != null) {
      return new Route(phone, null, null, SendOutcome.refused(SendOutcome.Result.OPTED_OUT,
          TwilioCodes.OPTED_OUT, "the user sent STOP"));
    }
    if (message.channel() != null) {
      return new Route(phone, message.channel(), null, null);
    }
    // PostgreSQL's window, read with the user: the source of truth, at no extra round trip (no cache is needed here).
    SessionWindow window = sessions.fromDatabase(phone, user.get().lastInboundAt(), user.get().windowExpiresAt());
    log.info("whatsapp session phone={} status={} expires={} source={}", PhoneNumbers.mask(phone),
        window.open() ? "IN_WINDOW" : "OUTSIDE_WINDOW", window.windowExpiresAt(), window.source());
    String reason = window.open() ? "session window open until " + window.windowExpiresAt() + " (" + window.source()
        + ")" : window.windowExpiresAt() == null ? "no session window: the user has not written"
        : "session window closed at " + window.windowExpiresAt() + " (" + window.source() + ")";
    return new Route(phone, window.open() ? Channel.FREEFORM : Channel.TEMPLATE, reason, null);
  }

  /** What a send needs of its user: the number, whether they opted out, and their session window (null if none). */
  private record Recipient(String phoneNumber, Instant optedOutAt, Instant lastInboundAt, Instant windowExpiresAt) {}

  /**
   * One plain statement for the user and their session window: this runs for every send, and attaching {@link
   * UserDao} builds all its handlers each time.
   */
  private Optional<Recipient> recipient(UUID userId) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT u.phone_number, u.opted_out_at, s.last_inbound_at, s.window_expires_at
              FROM users u LEFT JOIN whatsapp_sessions s ON s.phone_number = u.phone_number
             WHERE u.id = :id""")
        .bind("id", userId)
        .map((rs, ctx) -> new Recipient(rs.getString(1), Timestamps.instant(rs.getTimestamp(2)),
            Timestamps.instant(rs.getTimestamp(3)), Timestamps.instant(rs.getTimestamp(4))))
        .findOne());
  }

  @Override
  public SendOutcome send(OutboundMessage message) {
    // Every log line of this send names its reminder (reminder_id in the MDC: a field of its own in JSON logs).
    try (org.slf4j.MDC.MDCCloseable mdc = org.slf4j.MDC.putCloseable("reminder_id",
        message.reminderId() == null ? "none" : message.reminderId())) {
      return routeAndSend(message);
    }
  }

  private SendOutcome routeAndSend(OutboundMessage message) {
    Route route = route(message);
    if (route.refusal() != null) {
      return route.refusal();
    }
    SendOutcome outcome = send(message, route.to(), route.channel());
    return message.channel() == null && message.to() == null ? outcome.on(route.channel(), route.reason()) : outcome;
  }

  private SendOutcome send(OutboundMessage message, String to, Channel channel) {
    UUID reminderId = message.reminderId() == null ? null : UUID.fromString(message.reminderId());
    MessageDao dao = jdbi.onDemand(MessageDao.class);
    Optional<MessageRow> claim = dao.claim(reminderId, message.attemptKey(), channel.wireName(), to);
    boolean claimed = claim.isPresent();
    MessageRow row = claim.orElseGet(() -> dao.findAttempt(reminderId, message.attemptKey()).orElseThrow());
    boolean ownText = channel == Channel.FREEFORM && message.body() != null && !message.body().isBlank();
    Template template = message.templateName() == null ? null : templates.find(message.templateName()).orElse(null);
    if (!claimed) {
      Optional<SendOutcome> settled = settledEarlier(dao, row, message, to, channel, template);
      if (settled.isPresent()) {
        return settled.get();
      }
    }
    if (template == null && !ownText) {
      return message.templateName() == null
          ? reject(dao, row, "NO_TEMPLATE", "outside the 24-hour session window WhatsApp only delivers an approved "
              + "template, and this message has none")
          : reject(dao, row, "TEMPLATE_UNKNOWN", "template " + message.templateName() + " is not configured");
    }
    if (channel == Channel.TEMPLATE && template.contentSid() == null) {
      return reject(dao, row, "TEMPLATE_SID_MISSING", "template " + template.name() + " has no content SID: set "
          + template.contentSidEnv());
    }
    URI callback = statusCallback(message);
    // The slot of the sender's cap is taken once the request is built, right before it is written, and held until
    // Twilio's answer is back.
    try {
      SentMessage sent = channel == Channel.FREEFORM
          ? twilio.sendFreeform(to, freeformBody(message), callback, rate)
          : twilio.sendTemplate(to, template.contentSid(),
              templates.contentVariablesJson(template.name(), message.variables()), callback, rate);
      MessageRow settled = dao.accepted(row.id(), sent.sid(), sent.status());
      metrics.sent(channel.wireName(), message.reminderId() == null ? ChannelMetrics.REPLY : ChannelMetrics.REMINDER);
      log.info("whatsapp send reminder={} attempt={} sid={} to={} channel={} status={}", message.reminderId(),
          message.attemptKey(), sent.sid(), PhoneNumbers.mask(to), channel.wireName(), sent.status());
      return SendOutcome.accepted(settled.sid(), statusOf(settled.status())).at(clock.instant());
    } catch (WireGate.Closed e) {
      // Nothing reached Twilio, and waiting for a slot is not a failure: the workflow sends again shortly.
      dao.refused(row.id(), MessageRow.RETRY, "NO_SLOT", "no send slot at " + rate.mps() + " msg/s");
      return SendOutcome.refused(SendOutcome.Result.NO_SLOT, "NO_SLOT", "the sender's " + rate.mps()
          + " msg/s cap had no free slot");
    } catch (TwilioSendException e) {
      return refused(dao, row, message, to, channel, e);
    }
  }

  private SendOutcome refused(MessageDao dao, MessageRow row, OutboundMessage message, String to, Channel channel,
      TwilioSendException e) {
    metrics.twilioError(e.code());
    log.warn("whatsapp send reminder={} attempt={} to={} channel={} failed code={} kind={}: {}", message.reminderId(),
        message.attemptKey(), PhoneNumbers.mask(to), channel.wireName(), e.code(), e.kind(), e.getMessage());
    if (e.optedOut()) {
      jdbi.useExtension(UserDao.class, users -> users.optOutPhone(to));
      log.warn("whatsapp opt-out phone={}: Twilio refused with 21610 (the user sent STOP)", PhoneNumbers.mask(to));
    }
    if (e.kind() == TwilioErrors.Kind.TRANSIENT) {
      if (!e.mayHaveBeenAccepted()) {
        dao.refused(row.id(), MessageRow.RETRY, e.code(), e.getMessage());
      }
      throw ApplicationFailure.newFailure("Twilio failed transiently (" + e.code() + "): " + e.getMessage(),
          ActivityErrors.TWILIO_TRANSIENT, e.code());
    }
    dao.refused(row.id(), MessageRow.REJECTED, e.code(), e.getMessage());
    return SendOutcome.refused(resultOf(e.code(), e.kind() == TwilioErrors.Kind.OUTSIDE_WINDOW), e.code(),
        e.getMessage());
  }

  /** The one mapping from a permanent Twilio refusal to what the workflow does about it. */
  private static SendOutcome.Result resultOf(String code, boolean outsideWindow) {
    if (outsideWindow || TwilioCodes.OUTSIDE_WINDOW.equals(code)) {
      return SendOutcome.Result.OUTSIDE_WINDOW;
    }
    return TwilioCodes.OPTED_OUT.equals(code) ? SendOutcome.Result.OPTED_OUT : SendOutcome.Result.REJECTED;
  }

  /**
   * What an earlier try of this attempt settled, or empty when it is safe to send now. A try whose outcome is unknown
   * (the worker died during the Twilio call, or the answer was lost) is settled by its status callback, or else by
   * asking Twilio for the messages to that number: the one with this text created since the try began, not known
   * under another attempt, is this attempt's; none after {@code ambiguityGrace} means Twilio never took it, so it is
   * sent; more than one candidate stays ambiguous (UNCONFIRMED, never sent twice).
   */
  private Optional<SendOutcome> settledEarlier(MessageDao dao, MessageRow row, OutboundMessage message, String to,
      Channel channel, Template template) {
    if (row.sid() != null) {
      return Optional.of(SendOutcome.accepted(row.sid(), statusOf(row.status())).at(row.createdAt()));
    }
    switch (row.state()) {
      case MessageRow.REJECTED:
        return Optional.of(SendOutcome.refused(resultOf(row.errorCode(), false), row.errorCode(),
            row.errorMessage()));
      case MessageRow.RETRY:
        dao.retryAgain(row.id());
        return Optional.empty();
      default:
        Duration age = Duration.between(row.updatedAt(), clock.instant());
        Optional<Asked> asked = age.compareTo(ASK_AFTER) < 0 ? Optional.empty()
            : askTwilio(dao, row, message, to, channel, template);
        if (asked.isPresent() && asked.get().outcome() != null) {
          return Optional.of(asked.get().outcome());
        }
        if (asked.isPresent() && asked.get().candidates() == 0 && age.compareTo(ambiguityGrace) >= 0
            && dao.retryAgainAfterUnknown(row.id(), row.updatedAt())) {
          log.info("whatsapp send reminder={} attempt={}: Twilio has no such message {} after the try began; "
              + "sending it now", row.reminderId(), row.attemptKey(), ambiguityGrace);
          return Optional.empty();
        }
        if (age.compareTo(ambiguityGrace) < 0) {
          throw ApplicationFailure.newFailure("an earlier try of " + row.attemptKey() + " may have reached Twilio; "
              + "waiting for its status callback before deciding", ActivityErrors.SEND_OUTCOME_PENDING,
              "SEND_OUTCOME_PENDING");
        }
        log.warn("whatsapp send reminder={} attempt={} outcome unknown after {}: not re-sent", row.reminderId(),
            row.attemptKey(), ambiguityGrace);
        return Optional.of(SendOutcome.refused(SendOutcome.Result.UNKNOWN, "SEND_OUTCOME_UNKNOWN",
            "a worker stopped while Twilio was being called and no status callback came within " + ambiguityGrace
                + "; not re-sent to avoid a duplicate message"));
    }
  }

  /** How long after a try began its outcome is asked of Twilio (its HTTP call is over by then). */
  private static final Duration ASK_AFTER = Duration.ofSeconds(15);
  /** How far back Twilio's clock may stand from ours when matching a message to the try that made it. */
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  /** What Twilio's list said: the settled outcome when one message is this attempt's, else how many could be. */
  private record Asked(SendOutcome outcome, int candidates) {}

  private Optional<Asked> askTwilio(MessageDao dao, MessageRow row, OutboundMessage message, String to,
      Channel channel, Template template) {
    String text;
    try {
      text = channel == Channel.FREEFORM ? freeformBody(message)
          : template == null ? null : templates.render(template.name(), message.variables());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (text == null) {
      return Optional.empty();
    }
    List<TwilioMessageSender.ListedMessage> recent;
    try {
      recent = twilio.recent(to, 50);
    } catch (TwilioSendException e) {
      log.warn("whatsapp send reminder={} attempt={}: asking Twilio for recent messages failed ({}): {}",
          row.reminderId(), row.attemptKey(), e.code(), e.getMessage());
      return Optional.empty();
    }
    Instant since = row.createdAt().minus(CLOCK_SKEW);
    List<TwilioMessageSender.ListedMessage> candidates = recent.stream()
        .filter(m -> m.sid() != null && m.createdAt() != null && !m.createdAt().isBefore(since))
        .filter(m -> text.strip().equals(m.body() == null ? null : m.body().strip()))
        .filter(m -> dao.findBySid(m.sid()).isEmpty())
        .toList();
    if (candidates.size() != 1) {
      if (candidates.size() > 1) {
        log.warn("whatsapp send reminder={} attempt={}: {} messages to {} could be this one; not deciding",
            row.reminderId(), row.attemptKey(), candidates.size(), PhoneNumbers.mask(to));
      }
      return Optional.of(new Asked(null, candidates.size()));
    }
    TwilioMessageSender.ListedMessage found = candidates.get(0);
    MessageRow settled = dao.accepted(row.id(), found.sid(), found.status());
    log.info("whatsapp send reminder={} attempt={} settled by asking Twilio: sid={} status={}", row.reminderId(),
        row.attemptKey(), settled.sid(), settled.status());
    return Optional.of(new Asked(SendOutcome.accepted(settled.sid(), statusOf(settled.status()))
        .at(found.createdAt()), 1));
  }

  private SendOutcome reject(MessageDao dao, MessageRow row, String code, String reason) {
    dao.refused(row.id(), MessageRow.REJECTED, code, reason);
    return SendOutcome.refused(SendOutcome.Result.REJECTED, code, reason);
  }

  private String freeformBody(OutboundMessage message) {
    return message.body() != null && !message.body().isBlank()
        ? message.body() : templates.render(message.templateName(), message.variables());
  }

  /** The callback URL names the reminder and attempt, so a callback finds its message even before the SID is stored. */
  private URI statusCallback(OutboundMessage message) {
    String base = publicBaseUrl.toString().replaceAll("/+$", "");
    if (message.reminderId() == null) {
      return URI.create(base + "/whatsapp/status?attempt=" + enc(message.attemptKey()));
    }
    return URI.create(base + "/whatsapp/status?reminder=" + enc(message.reminderId()) + "&attempt="
        + enc(message.attemptKey()));
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static DeliveryStatus statusOf(String twilioStatus) {
    DeliveryStatus status = DeliveryStatus.fromTwilio(twilioStatus);
    return status == null ? DeliveryStatus.QUEUED : status;
  }
}
