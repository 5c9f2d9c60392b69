package dev.norns.whatsapp.activities.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norns.whatsapp.activities.db.InboundMessageDao;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.activities.session.SessionWindows;
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

  public InboundRecorder(Jdbi jdbi, SessionWindows sessions, PhoneNumbers phones) {
    this.jdbi = jdbi;
    this.sessions = sessions;
    this.phones = phones;
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

  private static String media(InboundMessage message) {
    try {
      return JSON.writeValueAsString(message.media() == null ? java.util.List.of() : message.media());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
