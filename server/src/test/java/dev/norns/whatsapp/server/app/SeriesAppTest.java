package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Recurring reminders through the HTTP API: an RRULE in the user's zone, one reminder per occurrence linked by
 * {@code series_id}, and the series listed, paused, resumed, edited and cancelled.
 */
class SeriesAppTest {
  private static final AtomicInteger PHONES = new AtomicInteger(600000);
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

  private static String londoner() {
    String user = app.createUser("+447944" + PHONES.incrementAndGet());
    assertThat(app.patch("/api/users/" + user, "{\"timezone\":\"Europe/London\"}").status()).isEqualTo(200);
    return user;
  }

  private static String series(String user, String rule, String dueAt) {
    return """
        {"user_id":"%s","template_name":"task_reminder",
         "variables":{"task_name":"Water the plants","due_time":"this morning"},
         "recurrence":"%s"%s}""".formatted(user, rule, dueAt == null ? "" : ",\"due_at\":\"" + dueAt + "\"");
  }

  private static JsonNode create(String body) {
    RunningApp.Reply reply = app.post("/api/reminders", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json();
  }

  @Test
  void givenAWeeklyRuleInLondon_theOccurrencesKeepNineOClockLocalAcrossTheMarchChange() {
    String user = londoner();
    String weekly = "RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=9;BYMINUTE=0";

    JsonNode before = create(series(user, weekly, "2027-03-21T00:00:00Z"));
    JsonNode after = create(series(user, weekly, "2027-03-22T00:00:00Z"));

    assertThat(before.get("next_due_at").asText()).isEqualTo("2027-03-21T09:00:00Z"); // 09:00 GMT
    assertThat(after.get("next_due_at").asText()).isEqualTo("2027-03-28T08:00:00Z"); // 09:00 BST
    assertThat(before.get("series_id").asText()).isNotBlank();
    assertThat(before.get("timezone").asText()).isEqualTo("Europe/London");
    assertThat(before.get("status").asText()).isEqualTo("ACTIVE");
    JsonNode next = before.get("next_reminder");
    assertThat(next.get("series_id").asText()).isEqualTo(before.get("series_id").asText());
    assertThat(next.get("due_at").asText()).isEqualTo("2027-03-21T09:00:00Z");
    assertThat(next.get("status").asText()).isEqualTo("SCHEDULED");
  }

  @Test
  void givenADailySeriesDueNow_theOccurrenceIsSent_andTheNextOneIsMadeForTomorrow() {
    String user = londoner();
    Instant due = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
    JsonNode created = create(series(user, "FREQ=DAILY", due.toString()));
    String id = created.get("series_id").asText();
    String first = created.get("next_reminder_id").asText();
    assertThat(created.get("next_due_at").asText()).isEqualTo(due.toString());

    eventually(Duration.ofSeconds(40), "the first occurrence sent", () -> !app.get("/api/reminders/" + first).json()
        .get("status").asText().matches("SCHEDULED|SENDING"));
    eventually(Duration.ofSeconds(20), "tomorrow's occurrence made",
        () -> app.get("/api/series/" + id).json().get("occurrences").asInt() == 2);
    JsonNode now = app.get("/api/series/" + id).json();
    assertThat(now.get("next_due_at").asText()).isEqualTo(due.plus(Duration.ofDays(1)).toString());
    JsonNode occurrences = app.get("/api/reminders?series_id=" + id).json().get("reminders");
    assertThat(occurrences).hasSize(2);
    assertThat(occurrences.get(1).get("reminder_id").asText()).isEqualTo(first);
    assertThat(occurrences.get(0).get("status").asText()).isEqualTo("SCHEDULED");
  }

  @Test
  void givenPauseResumeEditCancel_eachIsConfirmed_andTheComingOccurrenceFollows() {
    String user = londoner();
    JsonNode created = create(series(user, "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=30", null));
    String id = created.get("series_id").asText();
    String first = created.get("next_reminder_id").asText();

    JsonNode paused = app.post("/api/series/" + id + "/pause", "").json();
    assertThat(paused.get("status").asText()).isEqualTo("PAUSED");
    assertThat(paused.has("next_reminder_id")).isFalse();
    assertThat(app.get("/api/reminders/" + first).json().get("status").asText()).isEqualTo("CANCELLED");
    RunningApp.Reply again = app.post("/api/series/" + id + "/pause", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().get("error").asText()).contains("paused already");

    JsonNode resumed = app.post("/api/series/" + id + "/resume", "").json();
    assertThat(resumed.get("status").asText()).isEqualTo("ACTIVE");
    eventually(Duration.ofSeconds(20), "an occurrence after the resume",
        () -> app.get("/api/series/" + id).json().has("next_reminder_id"));
    String second = app.get("/api/series/" + id).json().get("next_reminder_id").asText();
    assertThat(second).isNotEqualTo(first);

    RunningApp.Reply edited = app.patch("/api/series/" + id,
        "{\"variables\":{\"task_name\":\"Water the garden\",\"due_time\":\"this morning\"}}");
    assertThat(edited.status()).as(edited.body()).isEqualTo(200);
    eventually(Duration.ofSeconds(20), "the coming occurrence made again with the edit", () -> {
      JsonNode series = app.get("/api/series/" + id).json();
      return series.has("next_reminder") && series.get("next_reminder").get("variables").get("task_name").asText()
          .equals("Water the garden");
    });
    assertThat(app.get("/api/reminders/" + second).json().get("status").asText()).isEqualTo("CANCELLED");

    JsonNode cancelled = app.delete("/api/series/" + id).json();
    assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(app.post("/api/series/" + id + "/resume", "").status()).isEqualTo(409);
    assertThat(app.get("/api/series?user_id=" + user + "&status=cancelled").json().get("series")).hasSize(1);
  }

  @Test
  void givenBadRules_theAnswerIs422NamingRecurrence_andNothingIsStored() {
    String user = londoner();
    for (String rule : new String[] {"every monday", "FREQ=MINUTELY", "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=DAILY;UNTIL=20200101T000000Z"}) {
      RunningApp.Reply reply = app.post("/api/reminders", series(user, rule, null));
      assertThat(reply.status()).as(rule).isEqualTo(422);
      assertThat(reply.json().get("field").asText()).as(rule).isEqualTo("recurrence");
    }
    assertThat(app.get("/api/series?user_id=" + user).json().get("series")).isEmpty();
    assertThat(app.get("/api/reminders?user_id=" + user).json().get("reminders")).isEmpty();
    assertThat(app.get("/api/series/not-a-uuid").status()).isEqualTo(422);
    assertThat(app.get("/api/series/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
  }

  @Test
  void givenTheSameIdempotencyKey_theSameSeriesComesBack_andADifferentBodyIsRefused() {
    String user = londoner();
    String body = series(user, "FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=0", null);
    String key = "weekly-" + user;
    RunningApp.Reply first = app.send(app.request("/api/reminders").header("Idempotency-Key", key)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    RunningApp.Reply second = app.send(app.request("/api/reminders").header("Idempotency-Key", key)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    RunningApp.Reply other = app.send(app.request("/api/reminders").header("Idempotency-Key", key)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.replace("TU", "TH"))));
    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().get("series_id")).isEqualTo(first.json().get("series_id"));
    assertThat(other.status()).isEqualTo(422);
    assertThat(app.get("/api/series?user_id=" + user).json().get("series")).hasSize(1);
  }

  @Test
  void givenAUserErased_theirSeriesIsCancelled() {
    String user = londoner();
    String id = create(series(user, "FREQ=DAILY;BYHOUR=7;BYMINUTE=0", null)).get("series_id").asText();
    assertThat(app.delete("/api/users/" + user).status()).isEqualTo(204);
    assertThat(app.get("/api/series/" + id).json().get("status").asText()).isEqualTo("CANCELLED");
  }
}
