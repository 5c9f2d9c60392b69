package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.server.api.ReminderRequest;
import dev.norns.whatsapp.server.api.ReminderView;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import dev.norns.whatsapp.server.core.ReminderRequests;
import dev.norns.whatsapp.server.core.ReminderService;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.sourceforge.argparse4j.impl.Arguments;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code send-test}: the runbook's "Send Test Template Message", done as a real reminder due now through
 * {@link ReminderService#schedule} (the same validation, PostgreSQL row and workflow as the API), then followed in
 * PostgreSQL until Twilio's answer settles it, so the operator sees the whole path work end to end.
 */
public final class SendTestCommand extends NornsCommand {
  private static final Duration POLL = Duration.ofMillis(250);

  public SendTestCommand() {
    super("send-test", "Send a test reminder now through the running service and follow it to its outcome");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("--user").required(true).metavar("ID").help("the user's id (see the users command)");
    subparser.addArgument("--template").required(true).metavar("NAME").help("template name, e.g. task_reminder");
    subparser.addArgument("--var").action(Arguments.append()).metavar("NAME=VALUE")
        .help("a template variable; repeat for each (see the templates command)");
    subparser.addArgument("--wait").type(Integer.class).setDefault(30).metavar("SECONDS")
        .help("how long to follow the reminder (default 30)");
    super.configure(subparser);
  }

  @Override
  protected void execute(Namespace namespace, NornsConfiguration config, PrintStream out) throws Exception {
    Map<String, String> variables = variables(namespace.getList("var"));
    Clock clock = Clock.systemUTC();
    try (CommandTemporal temporal = CommandTemporal.connect(config.getTemporal());
        CommandDatabase db = CommandDatabase.openMigrated(config.getDatabase())) {
      ReminderService reminders = temporal.reminders(config, db, clock);
      ReminderView scheduled = reminders.schedule(new ReminderRequest(namespace.getString("user"),
          namespace.getString("template"), variables, null, clock.instant().toString(), null, null,
          ReminderRequests.IGNORE), null).reminder();
      new TextTable("reminder_id", "status", "due_at").row(scheduled.reminderId(), scheduled.status(),
          scheduled.dueAt()).print(out);
      int waitSeconds = Math.max(0, namespace.getInt("wait"));
      out.println();
      out.println("following it for up to " + waitSeconds + " s:");
      out.flush();
      ReminderRow last = follow(db.jdbi(), UUID.fromString(scheduled.reminderId()), waitSeconds, out);
      out.println();
      new TextTable("reminder_id", "status", "channel", "channel_reason", "message_sid", "attempts", "last_error")
          .row(last.id(), last.status(), last.channel(), last.channelReason(), last.messageSid(), last.attempts(),
              RemindersCommand.lastError(last))
          .print(out);
      ReminderStatus status = ReminderStatus.valueOf(last.status());
      if (status == ReminderStatus.FAILED || status == ReminderStatus.CANCELLED) {
        throw new IllegalStateException("reminder " + last.id() + " ended " + status
            + (last.lastError() == null ? "" : ": " + RemindersCommand.lastError(last)));
      }
      if (!settled(last)) {
        out.println();
        out.println("still " + status + " after " + waitSeconds + " s; follow it with: reminders --user "
            + last.userId() + " config.yml");
      }
    }
  }

  /** Over, or delivered to the phone: what a test send waits for (the reply window may stay open for hours). */
  private static boolean settled(ReminderRow row) {
    ReminderStatus status = ReminderStatus.valueOf(row.status());
    return row.done() || status == ReminderStatus.DELIVERED || status == ReminderStatus.READ;
  }

  /** Polls the reminder row, printing each status it passes through, until it is final or the time is up. */
  private static ReminderRow follow(Jdbi jdbi, UUID id, int waitSeconds, PrintStream out)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(waitSeconds).toNanos();
    String seen = null;
    while (true) {
      ReminderRow row = jdbi.withExtension(ReminderDao.class, dao -> dao.find(id)).orElseThrow(
          () -> new IllegalStateException("reminder " + id + " disappeared from PostgreSQL"));
      if (!row.status().equals(seen)) {
        seen = row.status();
        out.printf("  +%5.1f s  %s%n", (System.nanoTime() - start) / 1e9, seen);
        out.flush();
      }
      if (settled(row) || System.nanoTime() >= deadline) {
        return row;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** {@code name=value} pairs, in the order given; the first {@code =} splits, so values may contain more. */
  static Map<String, String> variables(List<String> pairs) {
    Map<String, String> variables = new LinkedHashMap<>();
    for (String pair : pairs == null ? List.<String>of() : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--var '" + pair + "' is not NAME=VALUE (e.g. --var task_name=Ship)");
      }
      if (variables.put(pair.substring(0, eq).strip(), pair.substring(eq + 1)) != null) {
        throw new IllegalArgumentException("--var " + pair.substring(0, eq).strip() + " is given twice");
      }
    }
    return variables;
  }
}
