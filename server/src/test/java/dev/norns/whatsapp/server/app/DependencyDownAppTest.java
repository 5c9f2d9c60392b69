package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** PostgreSQL unreachable: 503 in the service's shape with Retry-After, fast; reads Temporal can answer still work. */
class DependencyDownAppTest {
  private static void postgres(String database, boolean accepting) throws Exception {
    try (Connection admin = DriverManager.getConnection(TestDatabase.HOST_URL + "postgres", "postgres", "")) {
      admin.createStatement().execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS " + accepting);
      if (!accepting) {
        admin.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
            + database + "' AND pid <> pg_backend_pid()");
      }
    }
  }

  @Test
  void givenPostgresRefusingConnections_theApiAnswers503Fast_andAReminderIsStillReadFromItsWorkflow()
      throws Exception {
    try (TestDatabase db = TestDatabase.create(); RunningApp app = new RunningApp(db).start()) {
      String database = db.url().substring(db.url().lastIndexOf('/') + 1);
      String user = app.createUser("+447911260001");
      String id = app.post("/api/reminders", ReminderLifecycleAppTest.reminder(user,
          Instant.now().plus(Duration.ofHours(1)), "")).json().get("reminder_id").asText();

      postgres(database, false);
      try {
        long started = System.nanoTime();
        RunningApp.Reply users = app.get("/api/users");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(users.status()).as(users.body()).isEqualTo(503);
        assertThat(users.json().get("error").asText()).contains("PostgreSQL is unavailable");
        assertThat(millis).as("answered within").isLessThan(3000);
        assertThat(app.post("/api/users", "{\"display_name\":\"Later\"}").status()).isEqualTo(503);
        RawHttp.Answer raw = RawHttp.send(app.port(), "GET", "/api/users", "X-API-Key: " + RunningApp.API_KEY
            + "\r\n", null);
        assertThat(raw.head()).containsIgnoringCase("Retry-After: 5");

        long asked = System.nanoTime();
        java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(app.admin() + "/healthcheck")).GET().build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat((System.nanoTime() - asked) / 1_000_000).as("health answered within").isLessThan(3000);
        com.fasterxml.jackson.databind.JsonNode postgresHealth = new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(health.body()).get("postgres");
        assertThat(health.statusCode()).isEqualTo(500);
        assertThat(postgresHealth.get("healthy").asBoolean()).isFalse();
        assertThat(postgresHealth.get("message").asText()).startsWith("PostgreSQL down since ")
            .doesNotContain("Unable to successfully check");
        assertThat(java.time.Instant.parse(postgresHealth.get("down_since").asText()))
            .isBetween(java.time.Instant.now().minusSeconds(30), java.time.Instant.now());

        RunningApp.Reply reminder = app.get("/api/reminders/" + id);
        assertThat(reminder.status()).as(reminder.body()).isEqualTo(200);
        assertThat(reminder.json().get("status").asText()).isEqualTo("SCHEDULED");
        assertThat(reminder.json().get("source").asText()).isEqualTo("workflow");
      } finally {
        postgres(database, true);
      }
      eventually(Duration.ofSeconds(15), "back", () -> app.get("/api/users").status() == 200);
      assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(app.admin() + "/healthcheck")).GET().build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body()).doesNotContain("down_since");
    }
  }
}
