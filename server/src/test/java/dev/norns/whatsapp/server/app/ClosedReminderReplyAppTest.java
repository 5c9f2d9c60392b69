package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replies that come after a reminder's workflow has closed (a 2-second reply window here). */
class ClosedReminderReplyAppTest {
  private static TestDatabase db;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db, ConfigOverride.config("reminders.readTimeout", "2s")).start();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  private String readReminder(String phone) {
    String user = app.createUser(phone);
    String id = app.post("/api/reminders", """
        {"user_id":"%s","template_name":"task_reminder","variables":{"task_name":"File taxes","due_time":"today"},
         "due_at":"%s"}""".formatted(user, Instant.now())).json().get("reminder_id").asText();
    eventually(Duration.ofSeconds(20), "read", () ->
        "READ".equals(app.get("/api/reminders/" + id).json().get("status").asText()));
    eventually(Duration.ofSeconds(20), "workflow closed", () -> db.jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM reminders WHERE id = CAST(:id AS uuid) AND updated_at < now() - interval '3 seconds'")
        .bind("id", id).mapTo(Integer.class).one()) == 1);
    return id;
  }

  @Test
  void givenTheReminderFinished_doneStillAcknowledgesIt_andSnoozeSaysItCannot() {
    String id = readReminder("+447911240001");
    app.post("/sandbox/inbound", "{\"from\":\"whatsapp:+447911240001\",\"body\":\"done\"}");
    eventually(Duration.ofSeconds(15), "acknowledged", () ->
        "ACKNOWLEDGED".equals(app.get("/api/reminders/" + id).json().get("status").asText()));

    String other = readReminder("+447911240002");
    app.post("/sandbox/inbound", "{\"from\":\"whatsapp:+447911240002\",\"body\":\"snooze 1h\"}");
    eventually(Duration.ofSeconds(15), "told it finished", () -> app.get("/sandbox/messages?to=%2B447911240002")
        .json().get(0).path("body").asText("").matches("Nothing changed: .*already.*(READ|read).*"));
    assertThat(app.get("/api/reminders/" + other).json().get("status").asText()).isEqualTo("READ");
  }
}
