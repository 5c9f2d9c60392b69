package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.db.SessionDao;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One reminder end to end: API → workflow → sandbox Twilio → signed status callbacks → READ. */
class ReminderLifecycleAppTest {
  private static final AtomicInteger PHONES = new AtomicInteger(100000);
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

  static String phone() {
    return "+447911" + PHONES.incrementAndGet();
  }

  static String reminder(String userId, Instant dueAt, String extra) {
    return """
        {"user_id":"%s","template_name":"task_reminder",
         "variables":{"task_name":"Ship the release","due_time":"today 17:00"},"due_at":"%s"%s}"""
        .formatted(userId, dueAt.truncatedTo(ChronoUnit.MILLIS), extra);
  }

  private static JsonNode awaitStatus(String reminderId, String status) {
    JsonNode[] last = new JsonNode[1];
    eventually(Duration.ofSeconds(30), "reminder " + reminderId + " " + status + ", last " + java.util.Arrays.toString(last), () -> {
      last[0] = app.get("/api/reminders/" + reminderId).json();
      return status.equals(last[0].get("status").asText());
    });
    return last[0];
  }

  private static JsonNode sandboxMessages(String phone) {
    return app.get("/sandbox/messages?to=" + phone.replace("+", "%2B")).json();
  }

  @Test
  void givenReminderDueInTwoSeconds_itGoesOutAsTheTemplateOnTime_andReachesRead() {
    String phone = phone();
    String user = app.createUser(phone);
    Instant due = Instant.now().plusSeconds(2);

    RunningApp.Reply created = app.post("/api/reminders", reminder(user, due, ""));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("status").asText()).isEqualTo("SCHEDULED");
    String id = created.json().get("reminder_id").asText();
    assertThat(sandboxMessages(phone)).isEmpty();

    JsonNode read = awaitStatus(id, "READ");
    assertThat(read.get("channel").asText()).isEqualTo("template");
    assertThat(Instant.parse(read.get("sent_at").asText())).isAfterOrEqualTo(due.truncatedTo(ChronoUnit.MILLIS));
    JsonNode messages = sandboxMessages(phone);
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).get("content_sid").asText()).startsWith("HX").hasSize(34);
    assertThat(messages.get(0).get("content_variables").asText())
        .isEqualTo("{\"1\":\"Ship the release\",\"2\":\"today 17:00\"}");
    assertThat(messages.get(0).get("sid").asText()).isEqualTo(read.get("message_sid").asText());
  }

  @Test
  void givenUserWroteWithinTheLastDay_theReminderGoesFreeformWithTheRenderedText() {
    String phone = phone();
    String user = app.createUser(phone);
    db.jdbi().useExtension(SessionDao.class, dao -> dao.recordInbound(phone, Instant.now().minusSeconds(60),
        Instant.now().plus(Duration.ofHours(23))));

    String id = app.post("/api/reminders", reminder(user, Instant.now(), "")).json().get("reminder_id").asText();

    JsonNode read = awaitStatus(id, "READ");
    assertThat(read.get("channel").asText()).isEqualTo("freeform");
    assertThat(read.get("channel_reason").asText()).contains("window open");
    assertThat(sandboxMessages(phone).get(0).get("body").asText())
        .isEqualTo("Reminder: Ship the release is due today 17:00.");
  }

  @Test
  void givenOwnText_itIsSentAsWrittenInsideTheWindow() {
    String phone = phone();
    String user = app.createUser(phone);
    db.jdbi().useExtension(SessionDao.class, dao -> dao.recordInbound(phone, Instant.now(),
        Instant.now().plus(Duration.ofHours(24))));
    String id = app.post("/api/reminders", reminder(user, Instant.now(), ",\"body\":\"Ship it now 🚀\""))
        .json().get("reminder_id").asText();
    awaitStatus(id, "READ");
    assertThat(sandboxMessages(phone).get(0).get("body").asText()).isEqualTo("Ship it now 🚀");
  }

  @Test
  void givenDueTimeInThePast_itSaysSoAndSendsAtOnce() {
    String user = app.createUser(phone());
    RunningApp.Reply created = app.post("/api/reminders", reminder(user, Instant.now().minusSeconds(3600), ""));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("note").asText()).contains("past");
    awaitStatus(created.json().get("reminder_id").asText(), "READ");
  }

  @Test
  void givenScheduledReminder_whenCancelled_itEndsCancelledAndIsNeverSent() {
    String phone = phone();
    String user = app.createUser(phone);
    String id = app.post("/api/reminders", reminder(user, Instant.now().plusSeconds(3), "")).json()
        .get("reminder_id").asText();

    RunningApp.Reply cancelled = app.delete("/api/reminders/" + id);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
    assertThat(app.delete("/api/reminders/" + id).status()).isEqualTo(409);
    eventually(Duration.ofSeconds(10), "row CANCELLED", () ->
        "CANCELLED".equals(app.get("/api/reminders/" + id).json().get("status").asText()));
    try {
      Thread.sleep(4000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(sandboxMessages(phone)).isEmpty();
  }

  @Test
  void givenReminderAnHourOut_whenRescheduledToNow_itIsSentAtTheNewTime() {
    String phone = phone();
    String user = app.createUser(phone);
    String id = app.post("/api/reminders", reminder(user, Instant.now().plus(Duration.ofHours(1)), "")).json()
        .get("reminder_id").asText();
    Instant soon = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);

    RunningApp.Reply moved = app.post("/api/reminders/" + id + "/reschedule", "{\"due_at\":\"" + soon + "\"}");
    assertThat(moved.status()).isEqualTo(200);
    assertThat(Instant.parse(moved.json().get("due_at").asText())).isEqualTo(soon);
    awaitStatus(id, "READ");
    assertThat(sandboxMessages(phone)).hasSize(1);
    assertThat(app.post("/api/reminders/" + id + "/reschedule", "{\"due_at\":\"" + soon + "\"}").status())
        .isEqualTo(409);
  }

  @Test
  void givenTheSameIdempotencyKey_itReturnsTheSameReminderAndSchedulesOnce() {
    String user = app.createUser(phone());
    String body = reminder(user, Instant.now().plus(Duration.ofHours(2)), "");
    RunningApp.Reply first = app.send(app.request("/api/reminders").header("Idempotency-Key", "order-42-" + user)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    RunningApp.Reply second = app.send(app.request("/api/reminders").header("Idempotency-Key", "order-42-" + user)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().get("reminder_id")).isEqualTo(first.json().get("reminder_id"));
    assertThat(app.get("/api/reminders?user_id=" + user).json().get("reminders")).hasSize(1);

    RunningApp.Reply other = app.send(app.request("/api/reminders").header("Idempotency-Key", "order-42-" + user)
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.replace("Ship the release", "Something else"))));
    assertThat(other.status()).as(other.body()).isEqualTo(422);
    assertThat(other.json().get("field").asText()).isEqualTo("Idempotency-Key");
    assertThat(app.get("/api/reminders?user_id=" + user).json().get("reminders")).hasSize(1);
  }

  @Test
  void givenListFilters_itReturnsTheUsersRemindersWithThatStatus() {
    String user = app.createUser(phone());
    app.post("/api/reminders", reminder(user, Instant.now().plus(Duration.ofHours(3)), ""));
    assertThat(app.get("/api/reminders?user_id=" + user + "&status=scheduled").json().get("reminders")).hasSize(1);
    assertThat(app.get("/api/reminders?user_id=" + user + "&status=READ").json().get("reminders")).isEmpty();
    assertThat(app.get("/api/reminders?status=LATE").status()).isEqualTo(422);
  }

  @Test
  void givenPagesAndFilters_everyReminderComesOnce_latestDueFirst_andOnlyThoseAsked() {
    String user = app.createUser(phone());
    Instant base = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(app.post("/api/reminders", reminder(user, base.plus(Duration.ofHours(i)), "")).json()
          .get("reminder_id").asText());
    }
    assertThat(app.delete("/api/reminders/" + ids.get(1)).status()).isEqualTo(200);

    java.util.List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = app.get("/api/reminders?user_id=" + user + "&limit=2"
          + (cursor == null ? "" : "&cursor=" + cursor)).json();
      page.get("reminders").forEach(r -> seen.add(r.get("reminder_id").asText()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));

    assertThat(app.get("/api/reminders?user_id=" + user + "&status=cancelled").json().get("reminders"))
        .extracting(r -> r.get("reminder_id").asText()).containsExactly(ids.get(1));
    assertThat(app.get("/api/reminders?user_id=" + user + "&status=SCHEDULED,CANCELLED").json().get("reminders"))
        .hasSize(5);
    assertThat(app.get("/api/reminders?user_id=" + user + "&status=SCHEDULED&status=CANCELLED").json()
        .get("reminders")).hasSize(5);
    String range = "&due_from=" + base.plus(Duration.ofHours(1)) + "&due_to=" + base.plus(Duration.ofHours(3));
    assertThat(app.get("/api/reminders?user_id=" + user + range).json().get("reminders"))
        .extracting(r -> r.get("reminder_id").asText()).containsExactly(ids.get(2), ids.get(1));

    for (String bad : new String[] {"cursor=nope", "due_from=tomorrow", "limit=0", "limit=5000",
        "due_from=" + base + "&due_to=" + base, "series_id=x"}) {
      RunningApp.Reply reply = app.get("/api/reminders?user_id=" + user + "&" + bad);
      assertThat(reply.status()).as(bad).isEqualTo(422);
      assertThat(reply.json().has("error")).as(bad).isTrue();
    }
  }

  @Test
  void givenTemplateVariablesWhatsAppRefuses_theAnswerIs422NamingTheVariable_andNothingIsStored() {
    String user = app.createUser(phone());
    for (String value : new String[] {"Ship\\nthe release", "Ship\\tit", "Ship    it"}) {
      RunningApp.Reply reply = app.post("/api/reminders", """
          {"user_id":"%s","template_name":"task_reminder",
           "variables":{"task_name":"%s","due_time":"today 17:00"},"due_at":"%s"}""".formatted(user, value,
          Instant.now().plus(Duration.ofHours(1))));
      assertThat(reply.status()).as(value).isEqualTo(422);
      assertThat(reply.json().get("field").asText()).as(value).isEqualTo("variables.task_name");
    }
    assertThat(app.get("/api/reminders?user_id=" + user).json().get("reminders")).isEmpty();
  }
}
