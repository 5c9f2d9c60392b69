package dev.norns.whatsapp.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The API described: {@code /openapi.json} lists every route Jersey serves, with examples, and {@code /docs} shows it. */
class OpenApiAppTest {
  private static TestDatabase db;
  private static RunningApp app;
  private static JsonNode document;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db).start();
    RunningApp.Reply reply = app.get("/openapi.json");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    document = reply.json();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  /** Every route of Jersey's resource model, as "METHOD /path/{template}". */
  private static List<String> routes() {
    Set<Class<?>> types = new LinkedHashSet<>(app.jersey().getClasses());
    app.jersey().getInstances().forEach(instance -> types.add(instance.getClass()));
    List<String> routes = new ArrayList<>();
    types.stream().filter(type -> type.isAnnotationPresent(Path.class))
        .forEach(type -> collect(Resource.from(type), "", routes));
    return routes;
  }

  private static void collect(Resource resource, String prefix, List<String> routes) {
    String path = (prefix + "/" + resource.getPath()).replaceAll("/+", "/").replaceAll("/$", "");
    for (ResourceMethod method : resource.getResourceMethods()) {
      routes.add(method.getHttpMethod() + " " + (path.isEmpty() ? "/" : path));
    }
    for (Resource child : resource.getChildResources()) {
      collect(child, path, routes);
    }
  }

  @Test
  void everyRouteTheServiceServes_isInTheDocument() {
    List<String> routes = routes();
    assertThat(routes).hasSizeGreaterThan(30).contains("POST /api/reminders", "GET /api/series/{id}",
        "POST /whatsapp/status", "GET /openapi.json");
    for (String route : routes) {
      String[] parts = route.split(" ", 2);
      JsonNode item = document.get("paths").get(parts[1]);
      assertThat(item).as(route + " has a path item").isNotNull();
      assertThat(item.get(parts[0].toLowerCase(Locale.ROOT))).as(route + " has an operation").isNotNull();
    }
  }

  @Test
  void theDocumentIsOpenApi31_withTheRecordsFieldsExamplesAndWhoMayCall() {
    assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
    JsonNode create = document.get("paths").get("/api/reminders").get("post");
    JsonNode examples = create.get("requestBody").get("content").get("application/json").get("examples");
    assertThat(examples.get("weekly").get("value").get("recurrence").asText()).startsWith("RRULE:");
    JsonNode schemas = document.get("components").get("schemas");
    assertThat(schemas.get("ReminderRequest").get("properties").fieldNames()).toIterable()
        .contains("user_id", "template_name", "variables", "due_at", "recurrence", "quiet_hours", "nudge");
    assertThat(document.get("security").get(0).has("apiKey")).isTrue();
    assertThat(document.get("paths").get("/whatsapp/status").get("post").get("security").get(0)
        .has("twilioSignature")).isTrue();
    assertThat(document.get("paths").get("/docs").get("get").get("security")).isEmpty();
  }

  @Test
  void theDocsPageIsServedFromThePackage_withItsScripts() {
    RawHttp.Answer page = RawHttp.send(app.port(), "GET", "/docs", "", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.head()).containsIgnoringCase("Content-Type: text/html");
    assertThat(page.body()).contains("/docs/swagger-ui-bundle.js").contains("/openapi.json")
        .doesNotContain("http://").doesNotContain("https://");
    RawHttp.Answer script = RawHttp.send(app.port(), "GET", "/docs/swagger-ui-bundle.js", "", null);
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.head()).containsIgnoringCase("Content-Type: application/javascript");
    assertThat(script.body()).contains("SwaggerUIBundle");
  }
}
