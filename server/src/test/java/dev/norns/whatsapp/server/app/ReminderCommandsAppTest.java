package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's commands answer from the reminder workflow's updates: the state after the command, or 409 with the reason
 * the reminder's phase gives. No polling: the answer is the update's result.
 */
class ReminderCommandsAppTest {
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

  private static String reminder(String phone, Instant due, String extra) {
    String user = app.createUser(phone);
    RunningApp.Reply created = app.post("/api/reminders", ReminderLifecycleAppTest.reminder(user, due, extra));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("reminder_id").asText();
  }

  private static JsonNode status(String id) {
    return app.get("/api/reminders/" + id).json();
  }

  @Test
  void givenAReminderNotSentYet_anEditChangesWhatGoesOut() {
    String id = reminder("+447911250001", Instant.now().plusSeconds(3), "");
    RunningApp.Reply edited = app.patch("/api/reminders/" + id,
        "{\"variables\":{\"task_name\":\"Ship the hotfix\",\"due_time\":\"now\"}}");
    assertThat(edited.status()).as(edited.body()).isEqualTo(200);
    assertThat(edited.json().get("variables").get("task_name").asText()).isEqualTo("Ship the hotfix");
    eventually(Duration.ofSeconds(30), "sent", () -> app.get("/sandbox/messages?to=%2B447911250001").json().size() == 1);
    assertThat(app.get("/sandbox/messages?to=%2B447911250001").json().get(0).get("content_variables").asText())
        .contains("Ship the hotfix");
  }

  @Test
  void givenAnEditWithAnUnknownVariable_itIs422AndNothingChanges() {
    String id = reminder("+447911250002", Instant.now().plus(Duration.ofHours(1)), "");
    RunningApp.Reply refused = app.patch("/api/reminders/" + id, "{\"variables\":{\"colour\":\"red\"}}");
    assertThat(refused.status()).isEqualTo(422);
    assertThat(status(id).get("variables").get("task_name").asText()).isEqualTo("Ship the release");
  }

  @Test
  void givenASentReminder_rescheduleAndEditAre409WithTheReason_andCancelStopsItsNudges() {
    String id = reminder("+447911250003", Instant.now(), ",\"nudge\":{\"every\":\"PT1M\",\"max\":3}");
    eventually(Duration.ofSeconds(30), "read", () -> status(id).get("status").asText().equals("READ"));

    RunningApp.Reply moved = app.post("/api/reminders/" + id + "/reschedule",
        "{\"due_at\":\"" + Instant.now().plus(Duration.ofHours(2)) + "\"}");
    assertThat(moved.status()).isEqualTo(409);
    assertThat(moved.json().get("error").asText()).contains("already sent");
    assertThat(app.patch("/api/reminders/" + id, "{\"body\":\"changed\"}").status()).isEqualTo(409);

    RunningApp.Reply cancelled = app.delete("/api/reminders/" + id);
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.json().get("phase").asText()).isEqualTo("DONE");
    RunningApp.Reply again = app.delete("/api/reminders/" + id);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("error").asText()).contains("CANCELLED");
  }

  @Test
  void givenAProactiveSendRetriedWithItsIdempotencyKey_itIsSentOnce() throws Exception {
    String user = app.createUser("+447911250005");
    String body = "{\"user_id\":\"" + user + "\",\"template_name\":\"task_reminder\",\"variables\":"
        + "{\"task_name\":\"Retry me\",\"due_time\":\"now\"}}";
    RunningApp.Reply first = app.send(app.request("/api/whatsapp/send").header("Idempotency-Key", "send-" + user)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    Thread.sleep(50);
    RunningApp.Reply retry = app.send(app.request("/api/whatsapp/send").header("Idempotency-Key", "send-" + user)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.status()).as(retry.body()).isEqualTo(200);
    assertThat(retry.json().get("reminder_id")).isEqualTo(first.json().get("reminder_id"));
    eventually(Duration.ofSeconds(30), "sent", () -> app.get("/sandbox/messages?to=%2B447911250005").json().size() == 1);
    Thread.sleep(1000);
    assertThat(app.get("/sandbox/messages?to=%2B447911250005").json()).hasSize(1);
  }

  @Test
  void givenConcurrentCancelAndReschedule_theAnswersAgreeWithTheOutcome() {
    String id = reminder("+447911250004", Instant.now().plus(Duration.ofHours(1)), "");
    CompletableFuture<RunningApp.Reply> cancel = CompletableFuture.supplyAsync(() -> app.delete("/api/reminders/" + id));
    CompletableFuture<RunningApp.Reply> move = CompletableFuture.supplyAsync(() -> app.post(
        "/api/reminders/" + id + "/reschedule", "{\"due_at\":\"" + Instant.now().plus(Duration.ofHours(3)) + "\"}"));
    RunningApp.Reply cancelled = cancel.join();
    RunningApp.Reply moved = move.join();
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
    if (moved.status() == 200) {
      assertThat(moved.json().get("status").asText()).as("a 200 reschedule happened before the cancel")
          .isEqualTo("SCHEDULED");
    } else {
      assertThat(moved.status()).isEqualTo(409);
    }
    eventually(Duration.ofSeconds(10), "stored", () -> status(id).get("status").asText().equals("CANCELLED"));
  }
}
