package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.server.config.NornsConfiguration;
import java.io.PrintStream;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * {@code db migrate|status}: the schema without starting the service. Dropwizard names a command with one word, so
 * the action is a positional choice. {@code status} only reports; {@code migrate} applies what is pending.
 */
public final class DbCommand extends NornsCommand {
  static final String MIGRATE = "migrate";
  static final String STATUS = "status";

  public DbCommand() {
    super("db", "Database schema: 'migrate' applies pending Flyway migrations, 'status' lists them");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices(MIGRATE, STATUS).help("migrate or status");
    super.configure(subparser);
  }

  @Override
  protected void execute(Namespace namespace, NornsConfiguration config, PrintStream out) {
    try (CommandDatabase db = CommandDatabase.open(config.getDatabase())) {
      if (MIGRATE.equals(namespace.getString("action"))) {
        MigrateResult result = db.migrate();
        out.println(result.migrationsExecuted + " migration(s) applied; schema version "
            + (result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion));
        out.println();
      }
      TextTable table = new TextTable("version", "description", "state", "installed_on");
      for (MigrationInfo info : db.flyway().info().all()) {
        table.row(info.getVersion(), info.getDescription(), info.getState().getDisplayName(), info.getInstalledOn());
      }
      table.print(out);
    }
  }
}
