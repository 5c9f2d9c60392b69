package dev.norns.whatsapp.server.resources;

import dev.norns.whatsapp.activities.templates.Template;
import dev.norns.whatsapp.server.api.TemplateView;
import dev.norns.whatsapp.server.config.TemplateConfig;
import dev.norns.whatsapp.server.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The configured WhatsApp templates, the runbook's "List templates via API": which have a content SID and which
 * environment variable is missing, without shell access to the host. Shows the configuration as given, not the
 * sandbox SIDs the built-in sandbox fills in.
 */
@Path("/api/whatsapp/templates")
@Produces(MediaType.APPLICATION_JSON)
public final class TemplatesResource {
  private final List<TemplateView> templates;

  public TemplatesResource(List<Template> templates) {
    this.templates = templates.stream().map(TemplateView::of).toList();
  }

  /** The templates of config.yml as configured (content SIDs from the environment, none filled in). */
  public static TemplatesResource configured(List<TemplateConfig> configured) {
    return new TemplatesResource(configured.stream().map(TemplateConfig::toTemplate).toList());
  }

  @GET
  public List<TemplateView> list() {
    return templates;
  }

  @GET
  @Path("/{name}")
  public TemplateView get(@PathParam("name") String name) {
    return templates.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> ApiException.notFound("template_name", "unknown template '" + name + "'; known: "
            + templates.stream().map(TemplateView::name).toList()));
  }
}
