package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one Temporal and one PostgreSQL: A runs the embedded Temporal server on a fixed port, B connects
 * to it as to a cluster. The test server does not enforce the task-queue rate limit, so the cap here is the
 * PostgreSQL limiter's alone.
 */
class ScaleOutAppTest {
  private static final int MPS = 5;
  private static TestDatabase db;
  private static RunningApp a;
  private static RunningApp b;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    a = new RunningApp(db, ConfigOverride.config("twilio.senderMps", Integer.toString(MPS))).start();
    b = second("api,worker").start();
  }

  /** An instance on A's Temporal server and namespace, as on a cluster. */
  private static RunningApp second(String roles) {
    return RunningApp.beside(a, db, ConfigOverride.config("twilio.senderMps", Integer.toString(MPS)),
        ConfigOverride.config("roles", roles));
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
    db.close();
  }

  private static String schedule(RunningApp app, String phone, Instant due) {
    String user = app.createUser(phone);
    RunningApp.Reply created = app.post("/api/reminders", ReminderLifecycleAppTest.reminder(user, due, ""));
    assertThat(created.status()).isEqualTo(201);
    return created.json().get("reminder_id").asText();
  }

  private static long count(String sql, Object... args) {
    return db.jdbi().withHandle(h -> {
      var query = h.createQuery(sql);
      for (int i = 0; i < args.length; i++) {
        query.bind(i, args[i]);
      }
      return query.mapTo(Long.class).one();
    });
  }

  @Test
  void givenRemindersThroughBothInstances_whenAnotherInstanceReconciles_eachIsSentExactlyOnce() {
    Instant due = Instant.now().plusSeconds(20);
    Map<String, String> phoneByReminder = new java.util.HashMap<>();
    for (int i = 0; i < 6; i++) {
      String phone = ReminderLifecycleAppTest.phone();
      phoneByReminder.put(schedule(i % 2 == 0 ? a : b, phone, due), phone);
    }
    // A worker-only instance boots and reconciles while every reminder is still scheduled and running.
    try (RunningApp worker = second("worker").start()) {
      assertThat(worker.get("/api/users").status()).as("no API on a worker-only instance").isEqualTo(404);
    }
    for (String id : phoneByReminder.keySet()) {
      eventually(Duration.ofSeconds(60), "reminder " + id + " READ", () ->
          "READ".equals(a.get("/api/reminders/" + id).json().get("status").asText()));
    }
    phoneByReminder.forEach((id, phone) -> {
      assertThat(count("SELECT count(*) FROM sandbox_messages WHERE to_number LIKE '%' || ?", phone))
          .as("WhatsApp messages to " + phone).isEqualTo(1);
      assertThat(count("SELECT count(*) FROM messages WHERE reminder_id = ?::uuid", id)).isEqualTo(1);
    });
  }

  @Test
  void givenThirtyRemindersDueAtOnceAcrossBothInstances_noSecondHasMoreThanTheCap() {
    Instant due = Instant.now().plusSeconds(5);
    List<String> phones = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String phone = ReminderLifecycleAppTest.phone();
      phones.add(phone);
      ids.add(schedule(i % 2 == 0 ? a : b, phone, due));
    }
    String mine = "to_number LIKE ANY (?)";
    String[] patterns = phones.stream().map(p -> "%" + p).toArray(String[]::new);
    eventually(Duration.ofSeconds(60), "30 sent", () ->
        count("SELECT count(*) FROM sandbox_messages WHERE " + mine, (Object) patterns) == 30);
    // On the database clock both instances share, every send counts against each second its request was in flight
    // in: no second could have received more than the cap.
    assertThat(count("SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM generate_series((SELECT "
        + "date_trunc('second', min(granted_at)) FROM send_flight), (SELECT max(landed_by) FROM send_flight), "
        + "interval '1 second') s JOIN send_flight f ON f.granted_at < s + interval '1 second' AND f.landed_by >= s "
        + "GROUP BY s) t")).as("sends in flight in the busiest second").isLessThanOrEqualTo(MPS);
    // Arrival at the sandbox, which counts as Twilio does: by the second a message reaches it.
    long busiest = count("SELECT coalesce(max(n), 0) FROM (SELECT count(*) n FROM sandbox_messages WHERE " + mine
        + " GROUP BY date_trunc('second', created_at)) s", (Object) patterns);
    long seconds = count("SELECT count(DISTINCT date_trunc('second', created_at)) FROM sandbox_messages WHERE "
        + mine, (Object) patterns);
    assertThat(busiest).as("sends arriving in the busiest second").isLessThanOrEqualTo(MPS);
    assertThat(seconds).as("seconds the 30 sends took").isGreaterThanOrEqualTo(30 / MPS);
    assertThat(count("SELECT count(DISTINCT reminder_id) FROM messages WHERE reminder_id = ANY (?::uuid[])",
        (Object) ids.toArray(String[]::new))).isEqualTo(30);
  }
}
