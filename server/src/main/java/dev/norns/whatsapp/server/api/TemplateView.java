package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.templates.Template;
import java.util.List;

/**
 * A template as the API shows it: whether its approved content SID is configured, and if not which environment
 * variable sets it (the runbook's {@code env | grep WA_TEMPLATE} check). {@code content_sid} is null when missing.
 */
public record TemplateView(
    @JsonProperty("name") String name,
    @JsonProperty("content_sid") String contentSid,
    @JsonProperty("content_sid_env") String contentSidEnv,
    @JsonProperty("sid_configured") boolean sidConfigured,
    @JsonProperty("variables") List<String> variables,
    @JsonProperty("body") String body,
    @JsonProperty("category") String category) {

  public static TemplateView of(Template template) {
    return new TemplateView(template.name(), template.hasContentSid() ? template.contentSid() : null,
        template.contentSidEnv(), template.hasContentSid(), template.variables(), template.body(),
        template.category());
  }
}
