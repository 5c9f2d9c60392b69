package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.activities.templates.Template;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import dev.norns.whatsapp.server.config.TemplateConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code templates}: the runbook's "Verify Template Configuration" ({@code env | grep WA_TEMPLATE}) and its variable
 * mapping check, from config.yml alone, so it works with nothing running.
 */
public final class TemplatesCommand extends NornsCommand {

  public TemplatesCommand() {
    super("templates", "List the WhatsApp templates: content SID (or the variable to set), variables, category, body");
  }

  @Override
  protected void execute(Namespace namespace, NornsConfiguration config, PrintStream out) {
    List<Template> templates = configured(config);
    TextTable table = new TextTable("name", "content_sid", "variables", "category", "body");
    for (Template t : templates) {
      table.row(t.name(), t.hasContentSid() ? t.contentSid() : "MISSING (set " + t.contentSidEnv() + ")",
          positional(t.variables()), t.category(), t.body());
    }
    table.print(out);
    if (config.getTwilio().sandbox() && templates.stream().anyMatch(t -> !t.hasContentSid())) {
      out.println();
      out.println("note: no Twilio credentials are set, so the service runs its built-in sandbox, which gives a "
          + "template without a content SID a sandbox SID; real Twilio needs the variables above.");
    }
  }

  /** The templates exactly as configured (no sandbox SIDs), checked the way the service checks them at start. */
  static List<Template> configured(NornsConfiguration config) {
    List<Template> templates = config.getTemplates().stream().map(TemplateConfig::toTemplate).toList();
    return new TemplateRegistry(templates).all();
  }

  /** "{{1}}=task_name, {{2}}=due_time": the named-to-positional mapping Twilio's content variables use. */
  private static String positional(List<String> variables) {
    return IntStream.range(0, variables.size()).mapToObj(i -> "{{" + (i + 1) + "}}=" + variables.get(i))
        .collect(Collectors.joining(", "));
  }
}
