package dev.norns.whatsapp.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The template sync through the HTTP API, in sandbox mode: the service reads its built-in sandbox's Content API
 * exactly as it reads Twilio's (twilio-java, the same client and routing), stores it and checks config.yml.
 */
class TemplateSyncAppTest {
  private static TestDatabase db;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db).start();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  @Test
  void givenTheSandbox_syncReadsItsContentApi_theReminderTemplateIsApproved_andTheLastSyncCanBeReadAgain() {
    RunningApp.Reply before = app.get("/api/whatsapp/templates/sync");
    assertThat(before.status()).isEqualTo(404);
    assertThat(before.body()).contains("POST /api/whatsapp/templates/sync");

    RunningApp.Reply synced = app.post("/api/whatsapp/templates/sync", "");
    assertThat(synced.status()).as(synced.body()).isEqualTo(200);
    JsonNode report = synced.json();
    assertThat(report.get("ok").asBoolean()).isTrue();
    JsonNode reminder = report.get("templates").get(0);
    assertThat(reminder.get("name").asText()).isEqualTo("task_reminder");
    assertThat(reminder.get("content_sid").asText()).startsWith("HX");
    assertThat(reminder.get("status").asText()).isEqualTo("approved");
    assertThat(reminder.get("category").asText()).isEqualTo("UTILITY");
    assertThat(reminder.get("variables").asInt()).isEqualTo(2);
    assertThat(reminder.get("twilio_variables").asInt()).isEqualTo(2);
    assertThat(reminder.get("problem").isNull()).isTrue();
    String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT body FROM twilio_templates").mapTo(String.class)
        .one());
    assertThat(stored).isEqualTo("Reminder: {{1}} is due {{2}}.");

    JsonNode again = app.get("/api/whatsapp/templates/sync").json();
    assertThat(again.get("ok").asBoolean()).isTrue();
    assertThat(again.get("templates").get(0).get("content_sid").asText())
        .isEqualTo(reminder.get("content_sid").asText());
  }
}
