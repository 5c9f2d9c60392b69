package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** A change of a series from its next occurrence on: what is absent stays as it is. */
public record SeriesPatch(
    @JsonProperty("recurrence") String recurrence,
    @JsonProperty("template_name") String templateName,
    @JsonProperty("variables") Map<String, String> variables,
    @JsonProperty("body") String body) {

  public boolean empty() {
    return recurrence == null && templateName == null && variables == null && body == null;
  }
}
