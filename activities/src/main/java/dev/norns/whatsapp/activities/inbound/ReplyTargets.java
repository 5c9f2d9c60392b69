package dev.norns.whatsapp.activities.inbound;

import dev.norns.whatsapp.activities.db.MessageDao;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Which reminder a reply is about: the one it quotes (OriginalRepliedMessageSid), the one its quick-reply button
 * names, or — when neither — the user's only reminder that went out and has not been answered.
 */
final class ReplyTargets {
  private static final Pattern UUID_IN_TEXT =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Duration REPLY_WINDOW = Duration.ofHours(48);

  private final Jdbi jdbi;

  ReplyTargets(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * The reminders the reply may be about: the quoted or button-named one, else every reminder of the user still
   * awaiting a reply (none, one, or several: then the user is asked which).
   */
  List<ReminderRow> find(UUID userId, String repliedToSid, String buttonPayload, Instant now) {
    if (repliedToSid != null && !repliedToSid.isBlank()) {
      Optional<ReminderRow> quoted = jdbi.withExtension(MessageDao.class, dao -> dao.findBySid(repliedToSid))
          .filter(m -> m.reminderId() != null).flatMap(m -> reminder(m.reminderId(), userId));
      if (quoted.isPresent()) {
        return List.of(quoted.get());
      }
    }
    if (buttonPayload != null) {
      Matcher id = UUID_IN_TEXT.matcher(buttonPayload);
      if (id.find()) {
        return reminder(UUID.fromString(id.group()), userId).map(List::of).orElse(List.of());
      }
    }
    return jdbi.withExtension(ReminderDao.class, dao -> dao.awaitingReply(userId, now.minus(REPLY_WINDOW)));
  }

  /** The command part of a button payload such as "snooze 1h|<reminder id>". */
  static String commandOf(String buttonPayload) {
    return UUID_IN_TEXT.matcher(buttonPayload).replaceAll("").replaceAll("[|:]+", " ").strip();
  }

  private Optional<ReminderRow> reminder(UUID reminderId, UUID userId) {
    return jdbi.withExtension(ReminderDao.class, dao -> dao.find(reminderId))
        .filter(r -> r.userId().equals(userId));
  }
}
