package dev.norns.whatsapp.server.health;

import com.codahale.metrics.health.HealthCheck;
import dev.norns.whatsapp.activities.templates.Template;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Unhealthy when a reminder still to be sent uses a template without a content SID (outside sandbox mode). */
public final class TemplatesHealthCheck extends HealthCheck {
  private final TemplateRegistry templates;
  private final Jdbi jdbi;

  public TemplatesHealthCheck(TemplateRegistry templates, Jdbi jdbi) {
    this.templates = templates;
    this.jdbi = jdbi;
  }

  @Override
  protected Result check() {
    List<Template> missing = templates.all().stream().filter(t -> !t.hasContentSid()).toList();
    if (missing.isEmpty()) {
      return Result.healthy("%d templates, all with content SIDs", templates.all().size());
    }
    List<String> inUse = jdbi.withHandle(h -> h.createQuery("""
            SELECT DISTINCT template_name FROM reminders WHERE status IN ('SCHEDULED', 'SENDING')
               AND template_name IN (<names>)""")
        .bindList("names", missing.stream().map(Template::name).toList()).mapTo(String.class).list());
    String unset = String.join(", ", missing.stream().map(t -> t.name() + " (" + t.contentSidEnv() + ")").toList());
    if (inUse.isEmpty()) {
      return Result.healthy("no content SID for %s; no pending reminder uses them", unset);
    }
    return Result.unhealthy("pending reminders use templates without a content SID: %s; set %s", inUse, unset);
  }
}
