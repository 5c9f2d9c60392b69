package dev.norns.whatsapp.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.server.security.TwilioAccountAuth;
import dev.norns.whatsapp.server.security.TwilioWebhook;
import io.dropwizard.testing.ConfigOverride;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nobody reaches a resource without credentials, by any route or any spelling of its path. The routes come from
 * Jersey's own resource model at test time, so an endpoint added without protection fails this test.
 */
class AccessAppTest {
  private static final String READ_KEY = "operator-read-only-key-0001";
  private static TestDatabase db;
  private static RunningApp app;
  private static String user;
  private static String reminder;

  /** One route: its HTTP method, a concrete path, what it consumes, and how it authenticates. */
  record Route(String method, String path, String consumes, Class<?> type) {
    boolean webhook() {
      return type.isAnnotationPresent(TwilioWebhook.class);
    }

    boolean twilioAccount() {
      return type.isAnnotationPresent(TwilioAccountAuth.class);
    }

    boolean open() {
      return type.isAnnotationPresent(dev.norns.whatsapp.server.security.PublicResource.class);
    }

    RawHttp.Answer call(String headers) {
      boolean body = !method.equals("GET") && !method.equals("DELETE") && !method.equals("HEAD");
      String form = consumes.contains("form") ? "Body=STOP&From=whatsapp%3A%2B14155550123" : "{}";
      return RawHttp.send(app.port(), method, path,
          headers + (body ? "Content-Type: " + consumes + "\r\n" : ""), body ? form : null);
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db, ConfigOverride.config("apiKeys", "ops:read:" + READ_KEY)).start();
    user = app.createUser("+14155550123");
    reminder = app.post("/api/reminders", ("{\"user_id\":\"%s\",\"template_name\":\"task_reminder\",\"variables\":"
        + "{\"task_name\":\"Secret project\",\"due_time\":\"soon\"},\"due_at\":\"2030-01-01T09:00:00Z\"}")
        .formatted(user)).json().get("reminder_id").asText();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  static List<Route> routes() {
    Set<Class<?>> types = new LinkedHashSet<>(app.jersey().getClasses());
    app.jersey().getInstances().forEach(instance -> types.add(instance.getClass()));
    List<Route> routes = new ArrayList<>();
    types.stream().filter(type -> type.isAnnotationPresent(Path.class))
        .forEach(type -> collect(Resource.from(type), "", type, routes));
    return routes;
  }

  private static void collect(Resource resource, String prefix, Class<?> type, List<Route> routes) {
    String path = (prefix + "/" + resource.getPath()).replaceAll("/+", "/").replaceAll("/$", "");
    String concrete = path.replaceAll("\\{[^}]+}", "x1");
    for (ResourceMethod method : resource.getResourceMethods()) {
      String consumes = method.getConsumedTypes().isEmpty() ? MediaType.APPLICATION_JSON
          : method.getConsumedTypes().get(0).toString();
      routes.add(new Route(method.getHttpMethod(), concrete.isEmpty() ? "/" : concrete, consumes, type));
    }
    for (Resource child : resource.getChildResources()) {
      collect(child, path, type, routes);
    }
  }

  static Stream<Route> everyRoute() {
    return routes().stream().filter(route -> !route.open());
  }

  @Test
  void theOnlyRoutesWithoutCredentialsAreTheDocsPageAndItsFiles_servingNoData() {
    assertThat(routes().stream().filter(Route::open).map(Route::toString))
        .containsExactlyInAnyOrder("GET /docs", "GET /docs/x1");
    RawHttp.Answer page = RawHttp.send(app.port(), "GET", "/docs", "", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("swagger-ui-bundle.js").doesNotContain("+14155550123");
    assertThat(RawHttp.send(app.port(), "GET", "/docs/x1", "", null).status()).isEqualTo(404);
    assertThat(RawHttp.send(app.port(), "GET", "/docs/..%2Fopenapi.json", "", null).status()).isBetween(400, 404);
    assertThat(RawHttp.send(app.port(), "GET", "/openapi.json", "", null).status()).isEqualTo(401);
  }

  @Test
  void theResourceModelHasEveryRoute() {
    assertThat(routes()).extracting(Route::toString).contains("GET /api/users", "POST /api/reminders",
        "DELETE /api/reminders/x1", "POST /sandbox/inbound", "GET /sandbox/messages", "POST /whatsapp/webhook",
        "POST /whatsapp/status").hasSizeGreaterThan(15);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRoute")
  void givenNoCredentials_everyRouteRefuses(Route route) {
    RawHttp.Answer answer = route.call("");
    int expected = route.webhook() ? 403 : 401;
    assertThat(answer.status()).as(route + " " + answer.body()).isEqualTo(expected);
    assertThat(answer.head()).containsIgnoringCase("Content-Type: application/json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRoute")
  void givenAWrongKey_everyRouteRefuses(Route route) {
    RawHttp.Answer answer = route.call("X-API-Key: " + RunningApp.API_KEY + "x\r\n");
    assertThat(answer.status()).as(route + " " + answer.body()).isEqualTo(route.webhook() ? 403 : 401);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyRoute")
  void givenTheReadOnlyKey_onlyReadsPass(Route route) {
    RawHttp.Answer answer = route.call("X-API-Key: " + READ_KEY + "\r\n");
    if (route.webhook()) {
      assertThat(answer.status()).as(route.toString()).isEqualTo(403);
    } else if (route.twilioAccount()) {
      assertThat(answer.status()).as(route.toString()).isEqualTo(401);
    } else if (route.method().equals("GET")) {
      assertThat(answer.status()).as(route + " " + answer.body()).isNotIn(401, 403).isLessThan(500);
    } else {
      assertThat(answer.status()).as(route + " " + answer.body()).isEqualTo(403);
      assertThat(answer.body()).contains("read-only");
    }
  }

  static Stream<String> spellingsOfUsers() {
    return Stream.of("/api;x/users", "/api;/users", "/api/users;x", "/api;jsessionid=1/users;x=y", "/%61pi/users",
        "/ap%69/users", "/api%2fusers", "/api%2Fusers", "/api/./users", "/api/x/../users", "/./api/users",
        "//api/users", "/api//users", "/API/users", "/Api/Users", "/api/users/", "/api/users%20", "/api/users%00",
        "/api/users?x=/whatsapp/webhook", "/whatsapp/webhook/../../api/users", "/whatsapp/status/..;/../api/users",
        "/api\\users", "/api/%2e/users", "/api/%2e%2e/api/users", "/%2e/api/users", "/api/users%3Bx",
        "http://localhost/api/users", "/api/users/%2e");
  }

  @ParameterizedTest(name = "GET {0}")
  @MethodSource("spellingsOfUsers")
  void givenAnySpellingOfAProtectedPath_withoutAKey_nothingLeaks(String target) {
    RawHttp.Answer answer = RawHttp.send(app.port(), "GET", target, "", null);
    assertThat(answer.status()).as(target + " " + answer.body()).isBetween(400, 499);
    assertThat(answer.body()).doesNotContain("+14155550123").doesNotContain("Ada");
    assertThat(answer.head()).containsIgnoringCase("Content-Type: application/json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writeSpellings")
  void givenAnySpellingOfAWrite_withoutAKey_nothingChanges(String method, String target) {
    String form = "{\"from\":\"whatsapp:+14155550123\",\"body\":\"STOP\"}";
    RawHttp.Answer answer = RawHttp.send(app.port(), method, target, "Content-Type: application/json\r\n",
        method.equals("DELETE") ? null : form);
    assertThat(answer.status()).as(method + " " + target + " " + answer.body()).isBetween(400, 499);
    assertThat(app.get("/api/reminders/" + reminder).json().get("status").asText()).isEqualTo("SCHEDULED");
    assertThat(count("users")).isEqualTo(1);
    assertThat(count("inbound_messages")).isZero();
  }

  private static int count(String table) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> writeSpellings() {
    List<org.junit.jupiter.params.provider.Arguments> cases = new ArrayList<>();
    for (String prefix : List.of("/api;x", "/%61pi", "/api/.", "//api", "/API", "/api;", "/x/../api")) {
      cases.add(org.junit.jupiter.params.provider.Arguments.of("DELETE", prefix + "/reminders/" + reminder));
      cases.add(org.junit.jupiter.params.provider.Arguments.of("POST", prefix + "/users"));
    }
    for (String prefix : List.of("/sandbox;x", "/%73andbox", "/sandbox/.", "//sandbox", "/SANDBOX")) {
      cases.add(org.junit.jupiter.params.provider.Arguments.of("POST", prefix + "/inbound"));
    }
    return cases.stream();
  }
}
