package dev.norns.whatsapp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.templates.Template;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** One entry of the template registry in config.yml; the content SID comes from the environment. */
public class TemplateConfig {
  @NotBlank
  @JsonProperty
  private String name;

  @JsonProperty
  private String contentSid = "";

  @NotBlank
  @JsonProperty
  private String contentSidEnv;

  @NotNull
  @JsonProperty
  private List<String> variables = List.of();

  @NotBlank
  @JsonProperty
  private String body;

  @NotBlank
  @JsonProperty
  private String category = "UTILITY";

  public Template toTemplate() {
    return new Template(name, contentSid == null || contentSid.isBlank() ? null : contentSid.strip(), contentSidEnv,
        List.copyOf(variables), body, category);
  }
}
