package dev.norns.whatsapp.server.resources;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.templates.Template;
import dev.norns.whatsapp.server.errors.ErrorMappers;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET /api/whatsapp/templates: what is configured, and which environment variable a missing SID needs. */
@ExtendWith(DropwizardExtensionsSupport.class)
class TemplatesResourceTest {
  private static final ResourceExtension RESOURCES = ResourceExtension.builder()
      .addResource(new TemplatesResource(List.of(
          new Template("task_reminder", null, "WA_TEMPLATE_TASK_REMINDER", List.of("task_name", "due_time"),
              "Reminder: {{task_name}} is due {{due_time}}.", "UTILITY"),
          new Template("daily_digest", "HX0123456789abcdef0123456789abcdef", "WA_TEMPLATE_DAILY_DIGEST",
              List.of("count"), "You have {{count}} tasks today.", "UTILITY"))))
      .addProvider(new ErrorMappers.ApiExceptionMapper())
      .build();

  @Test
  void givenConfiguredTemplates_whenListing_itShouldShowEachWithItsSidOrNull() {
    JsonNode list = RESOURCES.target("/api/whatsapp/templates").request().get(JsonNode.class);

    assertThat(list).hasSize(2);
    JsonNode missing = list.get(0);
    assertThat(missing.get("name").asText()).isEqualTo("task_reminder");
    assertThat(missing.get("content_sid").isNull()).isTrue();
    assertThat(missing.get("content_sid_env").asText()).isEqualTo("WA_TEMPLATE_TASK_REMINDER");
    assertThat(missing.get("sid_configured").asBoolean()).isFalse();
    assertThat(missing.get("variables").toString()).isEqualTo("[\"task_name\",\"due_time\"]");
    assertThat(missing.get("body").asText()).isEqualTo("Reminder: {{task_name}} is due {{due_time}}.");
    assertThat(missing.get("category").asText()).isEqualTo("UTILITY");
    assertThat(list.get(1).get("content_sid").asText()).isEqualTo("HX0123456789abcdef0123456789abcdef");
    assertThat(list.get(1).get("sid_configured").asBoolean()).isTrue();
  }

  @Test
  void givenAKnownName_whenGettingIt_itShouldReturnThatTemplate() {
    JsonNode one = RESOURCES.target("/api/whatsapp/templates/daily_digest").request().get(JsonNode.class);

    assertThat(one.get("name").asText()).isEqualTo("daily_digest");
    assertThat(one.get("variables").get(0).asText()).isEqualTo("count");
  }

  @Test
  void givenAnUnknownName_whenGettingIt_itShouldBe404NamingTheField() {
    Response response = RESOURCES.target("/api/whatsapp/templates/birthday").request().get();

    assertThat(response.getStatus()).isEqualTo(404);
    JsonNode error = response.readEntity(JsonNode.class);
    assertThat(error.get("field").asText()).isEqualTo("template_name");
    assertThat(error.get("error").asText()).contains("birthday").contains("task_reminder");
  }
}
