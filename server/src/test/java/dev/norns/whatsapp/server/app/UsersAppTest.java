package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.db.SessionDao;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Users through the HTTP API: changed (PATCH, validated), found by phone in any common spelling, shown with their
 * opt-out state and session window, erased on request (their reminders cancelled, their personal data gone, a
 * tombstone kept), and their message history read a page at a time.
 */
class UsersAppTest {
  private static final AtomicInteger PHONES = new AtomicInteger(500000);
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

  private static String phone() {
    return "+447933" + PHONES.incrementAndGet();
  }

  private static String remind(String user, Instant due) {
    RunningApp.Reply created = app.post("/api/reminders", """
        {"user_id":"%s","template_name":"task_reminder",
         "variables":{"task_name":"Ship the release","due_time":"today 17:00"},"due_at":"%s"}"""
        .formatted(user, due.truncatedTo(ChronoUnit.MILLIS)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("reminder_id").asText();
  }

  private static void awaitStatus(String reminderId, String status) {
    eventually(Duration.ofSeconds(30), "reminder " + reminderId + " " + status,
        () -> status.equals(app.get("/api/reminders/" + reminderId).json().get("status").asText()));
  }

  @Test
  void patchChangesWhatItGives_andRefusesWhatIsInvalid_changingNothing() {
    String user = app.createUser(phone());

    RunningApp.Reply changed = app.patch("/api/users/" + user,
        "{\"timezone\":\"Europe/London\",\"email\":\"ada@example.org\"}");
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().get("timezone").asText()).isEqualTo("Europe/London");
    assertThat(changed.json().get("email").asText()).isEqualTo("ada@example.org");
    assertThat(changed.json().get("display_name").asText()).isEqualTo("Ada");

    assertThat(app.patch("/api/users/" + user, "{\"timezone\":\"Mars/Olympus\"}").json().get("field").asText())
        .isEqualTo("timezone");
    assertThat(app.patch("/api/users/" + user, "{\"phone_number\":\"12\"}").json().get("field").asText())
        .isEqualTo("phone_number");
    assertThat(app.patch("/api/users/" + user, "{\"nickname\":\"A\"}").json().get("field").asText())
        .isEqualTo("nickname");
    assertThat(app.patch("/api/users/" + user, "{}").status()).isEqualTo(422);
    String taken = phone();
    app.createUser(taken);
    assertThat(app.patch("/api/users/" + user, "{\"phone_number\":\"" + taken + "\"}").status()).isEqualTo(409);

    JsonNode now = app.get("/api/users/" + user).json();
    assertThat(now.get("timezone").asText()).isEqualTo("Europe/London");
    assertThat(now.get("email").asText()).isEqualTo("ada@example.org");
  }

  @Test
  void aUserIsFoundByPhone_writtenAnyCommonWay() {
    String phone = phone();
    String user = app.createUser(phone);
    String spaced = phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7);

    for (String spelling : List.of(phone, spaced, "whatsapp:" + phone)) {
      JsonNode found = app.get("/api/users?phone=" + java.net.URLEncoder.encode(spelling,
          java.nio.charset.StandardCharsets.UTF_8)).json().get("users");
      assertThat(found).as(spelling).hasSize(1);
      assertThat(found.get(0).get("user_id").asText()).isEqualTo(user);
    }
    assertThat(app.get("/api/users?phone=%2B14155550198").json().get("users")).isEmpty();
    assertThat(app.get("/api/users?phone=abc").status()).isEqualTo(422);
  }

  @Test
  void theUserViewShowsTheirSessionWindow() {
    String phone = phone();
    String user = app.createUser(phone);
    JsonNode before = app.get("/api/users/" + user).json();
    assertThat(before.get("window_open").asBoolean()).isFalse();
    assertThat(before.get("opted_out").asBoolean()).isFalse();

    Instant expires = Instant.now().plus(Duration.ofHours(23)).truncatedTo(ChronoUnit.MILLIS);
    db.jdbi().useExtension(SessionDao.class, dao -> dao.recordInbound(phone, Instant.now(), expires));
    JsonNode after = app.get("/api/users/" + user).json();
    assertThat(after.get("window_open").asBoolean()).isTrue();
    assertThat(Instant.parse(after.get("window_expires_at").asText())).isEqualTo(expires);
  }

  @Test
  void deleteCancelsTheirReminders_erasesTheirData_keepsATombstone_andFreesTheirNumber() {
    String phone = phone();
    String user = app.createUser(phone);
    String sent = remind(user, Instant.now());
    awaitStatus(sent, "READ");
    String later = remind(user, Instant.now().plus(Duration.ofHours(2)));

    assertThat(app.delete("/api/users/" + user).status()).isEqualTo(204);

    JsonNode tombstone = app.get("/api/users/" + user).json();
    assertThat(tombstone.get("erased_at").isNull()).isFalse();
    assertThat(tombstone.get("display_name").isNull()).isTrue();
    assertThat(tombstone.get("phone_number").isNull()).isTrue();
    JsonNode cancelled = app.get("/api/reminders/" + later).json();
    assertThat(cancelled.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(cancelled.get("variables")).isEmpty();
    assertThat(app.get("/api/reminders/" + sent).json().get("variables")).isEmpty();
    int stillNamed = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM messages WHERE to_number = :phone")
        .bind("phone", phone).mapTo(Integer.class).one());
    assertThat(stillNamed).isZero();
    assertThat(app.get("/api/users?phone=" + phone.replace("+", "%2B")).json().get("users")).isEmpty();
    assertThat(app.patch("/api/users/" + user, "{\"display_name\":\"Back\"}").status()).isEqualTo(409);
    assertThat(app.delete("/api/users/" + user).status()).isEqualTo(204);
    assertThat(app.post("/api/users", "{\"display_name\":\"New\",\"phone_number\":\"" + phone + "\"}").status())
        .isEqualTo(201);
  }

  @Test
  void theMessageHistory_isNewestFirst_aPageAtATime() {
    String phone = phone();
    String user = app.createUser(phone);
    String reminder = remind(user, Instant.now());
    awaitStatus(reminder, "READ");
    RunningApp.Reply wrote = app.post("/sandbox/inbound", "{\"from\":\"whatsapp:" + phone + "\",\"body\":\"done\"}");
    assertThat(wrote.status()).as(wrote.body()).isLessThan(300);
    awaitStatus(reminder, "ACKNOWLEDGED");

    List<JsonNode> all = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = app.get("/api/users/" + user + "/messages?limit=1" + (cursor == null ? "" : "&cursor="
          + cursor)).json();
      page.get("messages").forEach(all::add);
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(all).hasSizeGreaterThanOrEqualTo(2);
    assertThat(all.get(all.size() - 1).get("direction").asText()).isEqualTo("out");
    assertThat(all.get(all.size() - 1).get("reminder_id").asText()).isEqualTo(reminder);
    assertThat(all.get(all.size() - 1).get("channel").asText()).isEqualTo("template");
    JsonNode received = all.stream().filter(m -> m.get("direction").asText().equals("in")).findFirst()
        .orElseThrow();
    assertThat(received.get("body").asText()).isEqualTo("done");
    for (int i = 1; i < all.size(); i++) {
      assertThat(Instant.parse(all.get(i).get("at").asText()))
          .isBeforeOrEqualTo(Instant.parse(all.get(i - 1).get("at").asText()));
    }
    assertThat(app.get("/api/users/" + user + "/messages?cursor=nonsense").json().get("field").asText())
        .isEqualTo("cursor");
    assertThat(app.get("/api/users/" + user + "/messages?limit=0").status()).isEqualTo(422);
  }

  @Test
  void givenPages_everyUserComesOnce_newestFirst() {
    java.util.Set<String> made = new java.util.LinkedHashSet<>();
    for (int i = 0; i < 3; i++) {
      made.add(app.createUser(phone()));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = app.get("/api/users?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
      page.get("users").forEach(u -> seen.add(u.get("user_id").asText()));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
    } while (cursor != null);
    assertThat(seen).doesNotHaveDuplicates().containsAll(made);
    List<String> newest = seen.subList(0, 3);
    List<String> expected = new ArrayList<>(made);
    java.util.Collections.reverse(expected);
    assertThat(newest).containsExactlyElementsOf(expected);
    assertThat(app.get("/api/users?cursor=zzz").status()).isEqualTo(422);
  }
}
