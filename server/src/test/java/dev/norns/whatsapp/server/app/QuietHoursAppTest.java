package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quiet hours through the HTTP API: set per user, a reminder due inside them deferred and saying so. */
class QuietHoursAppTest {
  private static final AtomicInteger PHONES = new AtomicInteger(700000);
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
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

  /** A UTC user whose quiet hours are now: from an hour ago to two hours from now. */
  private static String userInQuietHours() {
    String user = app.createUser("+447955" + PHONES.incrementAndGet());
    LocalTime now = LocalTime.now(ZoneOffset.UTC);
    RunningApp.Reply set = app.patch("/api/users/" + user, "{\"quiet_hours\":{\"start\":\"%s\",\"end\":\"%s\"}}"
        .formatted(HH_MM.format(now.minusHours(1)), HH_MM.format(now.plusHours(2))));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    return user;
  }

  @Test
  void givenAReminderDueInQuietHours_itIsDeferredToTheirEnd_andSaysWhy() {
    String user = userInQuietHours();
    RunningApp.Reply created = app.post("/api/reminders", ReminderLifecycleAppTest.reminder(user,
        Instant.now().plusSeconds(2), ""));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode reminder = created.json();
    Instant deferred = Instant.parse(reminder.get("deferred_until").asText());
    assertThat(Duration.between(Instant.now(), deferred)).isBetween(Duration.ofMinutes(118),
        Duration.ofMinutes(121));
    assertThat(reminder.get("deferred_reason").asText()).startsWith("quiet hours").endsWith("UTC");

    String id = reminder.get("reminder_id").asText();
    try {
      Thread.sleep(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    JsonNode later = app.get("/api/reminders/" + id).json();
    assertThat(later.get("status").asText()).as("not sent in quiet hours").isEqualTo("SCHEDULED");
    assertThat(later.get("deferred_until").asText()).isEqualTo(deferred.toString());
  }

  @Test
  void givenAReminderThatIgnoresQuietHours_itIsSentOnTime() {
    String user = userInQuietHours();
    RunningApp.Reply created = app.post("/api/reminders", ReminderLifecycleAppTest.reminder(user,
        Instant.now().plusSeconds(1), ",\"quiet_hours\":\"ignore\""));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().has("deferred_until")).isFalse();
    String id = created.json().get("reminder_id").asText();
    eventually(Duration.ofSeconds(30), "sent", () -> !app.get("/api/reminders/" + id).json().get("status").asText()
        .matches("SCHEDULED|SENDING"));
  }

  @Test
  void givenQuietHourSettings_theUserShowsThem_andBadOnesAre422WithNothingChanged() {
    String user = app.post("/api/users", "{\"display_name\":\"Owl\"}").json().get("user_id").asText();
    JsonNode quiet = app.get("/api/users/" + user).json().get("quiet_hours");
    assertThat(quiet.get("enabled").asBoolean()).isTrue();
    assertThat(quiet.get("start").asText()).isEqualTo("21:00");
    assertThat(quiet.get("end").asText()).isEqualTo("08:00");

    assertThat(app.patch("/api/users/" + user, "{\"quiet_hours\":{\"start\":\"22:30\"}}").json()
        .get("quiet_hours").get("start").asText()).isEqualTo("22:30");
    for (String bad : new String[] {"{\"start\":\"25:00\",\"end\":\"07:00\"}", "{\"start\":\"9pm\",\"end\":\"07:00\"}",
        "{\"start\":\"07:00\",\"end\":\"07:00\"}", "{\"enabled\":false,\"start\":\"07:00\"}", "{}",
        "{\"start\":\"22:00\",\"end\":\"07:00\",\"days\":\"weekdays\"}"}) {
      RunningApp.Reply reply = app.patch("/api/users/" + user, "{\"quiet_hours\":" + bad + "}");
      assertThat(reply.status()).as(bad).isEqualTo(422);
      assertThat(reply.json().get("field").asText()).as(bad).startsWith("quiet_hours");
    }
    JsonNode off = app.patch("/api/users/" + user, "{\"quiet_hours\":{\"enabled\":false}}").json();
    assertThat(off.get("quiet_hours").get("enabled").asBoolean()).isFalse();
    JsonNode on = app.patch("/api/users/" + user, "{\"quiet_hours\":{\"enabled\":true}}").json();
    assertThat(on.get("quiet_hours").get("start").asText()).isEqualTo("22:30");

    String withPhone = app.createUser("+447955" + PHONES.incrementAndGet());
    RunningApp.Reply choice = app.post("/api/reminders", ReminderLifecycleAppTest.reminder(withPhone,
        Instant.now().plus(1, ChronoUnit.HOURS), ",\"quiet_hours\":\"sometimes\""));
    assertThat(choice.status()).isEqualTo(422);
    assertThat(choice.json().get("field").asText()).isEqualTo("quiet_hours");
  }
}
