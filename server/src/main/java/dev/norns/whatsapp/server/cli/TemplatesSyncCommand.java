package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.activities.twilio.TwilioContentApi;
import dev.norns.whatsapp.activities.twilio.TwilioSettings;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import dev.norns.whatsapp.server.config.TwilioFactory;
import dev.norns.whatsapp.server.core.TemplateSync;
import java.io.PrintStream;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code templates sync} (Dropwizard names commands with one word: {@code templates-sync}, and {@code templates sync}
 * is rewritten to it): reads the account's content templates from Twilio's Content API, stores them in PostgreSQL
 * and checks config.yml against them, as {@code POST /api/whatsapp/templates/sync} does. Exits non-zero when a
 * configured template is missing, not approved or takes another number of variables, so a deploy can stop on it.
 */
public final class TemplatesSyncCommand extends NornsCommand {
  public static final String NAME = "templates-sync";

  public TemplatesSyncCommand() {
    super(NAME, "Read the templates from Twilio's Content API, store them and check config.yml against them "
        + "(also: templates sync)");
  }

  @Override
  protected void execute(Namespace namespace, NornsConfiguration config, PrintStream out) {
    TwilioFactory twilio = config.getTwilio();
    if (twilio.sandbox()) {
      throw new IllegalStateException("no Twilio credentials are set, so there is no Content API to read from here: "
          + "set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM (or TWILIO_MESSAGING_SERVICE_SID); "
          + "the running service's POST /api/whatsapp/templates/sync reads its built-in sandbox's Content API");
    }
    TwilioSettings settings = twilio.realSettings();
    TemplateRegistry registry = new TemplateRegistry(TemplatesCommand.configured(config));
    try (CommandDatabase db = CommandDatabase.openMigrated(config.getDatabase())) {
      TemplateSync.Report report = new TemplateSync(db.jdbi(), registry, () -> new TwilioContentApi(settings))
          .sync();
      TextTable table = new TextTable("name", "content_sid", "status", "category", "variables", "problem");
      for (TemplateSync.Checked c : report.templates()) {
        table.row(c.name(), c.contentSid(), c.status(), c.category(),
            c.variables() + (c.twilioVariables() == null ? "" : " (Twilio " + c.twilioVariables() + ")"),
            c.problem() == null ? "ok" : c.problem());
      }
      table.print(out);
      if (!report.notConfigured().isEmpty()) {
        out.println();
        out.println("on Twilio, not in config.yml:");
        TextTable others = new TextTable("content_sid", "name", "status", "category", "variables");
        report.notConfigured().forEach(u -> others.row(u.contentSid(), u.twilioName(), u.status(), u.category(),
            u.variables().size()));
        others.print(out);
      }
      if (!report.ok()) {
        throw new IllegalStateException("templates sync: a configured template is not usable as it stands (above)");
      }
    }
  }
}
