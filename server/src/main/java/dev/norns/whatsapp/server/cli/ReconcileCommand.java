package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.server.config.NornsConfiguration;
import dev.norns.whatsapp.server.core.Reconciler;
import dev.norns.whatsapp.server.core.ReminderService;
import java.io.PrintStream;
import java.time.Clock;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code reconcile}: PostgreSQL is the system of record; after Temporal's state was lost (its data file deleted, a new
 * cluster), start again every reminder that is not final in PostgreSQL and has no workflow. Reminders that have one
 * are left alone, so running it twice is harmless. Needs the service's Temporal (the running embedded server, or
 * TEMPORAL_ADDRESS), whose workers carry the reminders on.
 */
public final class ReconcileCommand extends NornsCommand {
  public ReconcileCommand() {
    super("reconcile", "Start again, from PostgreSQL, every non-final reminder that has no workflow");
  }

  @Override
  protected void execute(Namespace namespace, NornsConfiguration config, PrintStream out) {
    try (CommandTemporal temporal = CommandTemporal.connect(config.getTemporal());
        CommandDatabase db = CommandDatabase.openMigrated(config.getDatabase())) {
      ReminderService reminders = temporal.reminders(config, db, Clock.systemUTC());
      int started = new Reconciler(db.jdbi(), reminders, temporal.series(config, db, reminders, Clock.systemUTC()))
          .reminders();
      new TextTable("workflows_started").row(Integer.toString(started)).print(out);
    }
  }
}
