package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import java.io.PrintStream;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;

/** {@code users}: the runbook's "Find user" psql SELECT, without shell access to the database host. */
public final class UsersCommand extends NornsCommand {

  public UsersCommand() {
    super("users", "List users: id, name, email, WhatsApp number, time zone");
  }

  @Override
  protected void execute(Namespace namespace, NornsConfiguration config, PrintStream out) {
    try (CommandDatabase db = CommandDatabase.openMigrated(config.getDatabase())) {
      List<UserRow> users = db.jdbi().withExtension(UserDao.class, dao -> dao.list(Integer.MAX_VALUE));
      TextTable table = new TextTable("user_id", "display_name", "email", "phone_number", "timezone");
      users.forEach(u -> table.row(u.id(), u.displayName(), u.email(), u.phoneNumber(), u.timezone()));
      table.print(out);
    }
  }
}
