package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import dev.norns.whatsapp.server.core.ReminderRequests;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code reminders --user <id>}: a user's reminders as PostgreSQL records them (the system of record), for finding
 * out why a reminder did not arrive without the API key or a psql session.
 */
public final class RemindersCommand extends NornsCommand {

  public RemindersCommand() {
    super("reminders", "List a user's reminders from PostgreSQL, newest due first");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("--user").required(true).metavar("ID").help("the user's id (see the users command)");
    subparser.addArgument("--status").metavar("S").help("only this status: "
        + String.join(", ", Arrays.stream(ReminderStatus.values()).map(Enum::name).toList()));
    subparser.addArgument("--limit").type(Integer.class).setDefault(50).help("at most this many (default 50)");
    super.configure(subparser);
  }

  @Override
  protected void execute(Namespace namespace, NornsConfiguration config, PrintStream out) {
    UUID user = ReminderRequests.uuid("user_id", namespace.getString("user"));
    String status = status(namespace.getString("status"));
    int limit = Math.max(1, namespace.getInt("limit"));
    try (CommandDatabase db = CommandDatabase.openMigrated(config.getDatabase())) {
      if (db.jdbi().withExtension(UserDao.class, dao -> dao.find(user)).isEmpty()) {
        throw ApiException.notFound("user_id", "no user " + user);
      }
      List<ReminderRow> rows = db.jdbi().withExtension(ReminderDao.class, dao -> dao.list(user, null,
          status == null ? null : new String[] {status}, null, null, null, null, limit));
      TextTable table = new TextTable("id", "status", "due_at", "channel", "message_sid", "last_error");
      rows.forEach(r -> table.row(r.id(), r.status(), r.dueAt(), r.channel(), r.messageSid(), lastError(r)));
      table.print(out);
    }
  }

  private static String status(String text) {
    if (text == null) {
      return null;
    }
    try {
      return ReminderStatus.valueOf(text.strip().toUpperCase(java.util.Locale.ROOT)).name();
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("status", "'" + text + "' is not one of "
          + Arrays.toString(ReminderStatus.values()));
    }
  }

  static String lastError(ReminderRow row) {
    if (row.lastError() == null) {
      return row.lastErrorCode();
    }
    return row.lastErrorCode() == null ? row.lastError() : row.lastErrorCode() + ": " + row.lastError();
  }
}
