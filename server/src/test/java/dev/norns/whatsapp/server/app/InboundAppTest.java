package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.workflows.WorkflowIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A user writing in through the sandbox: session window, reply-to-act, opt-out. */
class InboundAppTest {
  private static final AtomicInteger PHONES = new AtomicInteger(200000);
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
    return "+447911" + PHONES.incrementAndGet();
  }

  private static JsonNode write(String phone, String body) {
    return writeFields(phone, "\"body\":\"" + body + "\"");
  }

  private static JsonNode writeFields(String phone, String... fields) {
    RunningApp.Reply reply = app.post("/sandbox/inbound", "{\"from\":\"whatsapp:" + phone + "\","
        + String.join(",", fields) + "}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.json().get("webhook_status").asInt()).isEqualTo(200);
    return reply.json();
  }

  private static String remind(String user, Instant due) {
    return app.post("/api/reminders", """
        {"user_id":"%s","template_name":"task_reminder",
         "variables":{"task_name":"Water the plants","due_time":"18:00"},"due_at":"%s"}"""
        .formatted(user, due)).json().get("reminder_id").asText();
  }

  private static void awaitStatus(String id, String status) {
    eventually(Duration.ofSeconds(30), id + " " + status, () ->
        status.equals(app.get("/api/reminders/" + id).json().get("status").asText()));
  }

  private static JsonNode messagesTo(String phone) {
    return app.get("/sandbox/messages?to=" + phone.replace("+", "%2B")).json();
  }

  @Test
  void givenTheUserWrites_theWindowOpensForADay_andTheNextReminderGoesFreeform() {
    String phone = phone();
    String user = app.createUser(phone);
    assertThat(app.get("/api/whatsapp/session/" + phone).json().get("status").asText()).isEqualTo("OUTSIDE_WINDOW");

    write(phone, "hello Norns");
    eventually(Duration.ofSeconds(10), "window open", () ->
        "IN_WINDOW".equals(app.get("/api/whatsapp/session/" + phone).json().get("status").asText()));
    JsonNode session = app.get("/api/whatsapp/session/" + phone.replace("+447911", "+44%207911%20")).json();
    assertThat(session.get("phone_number").asText()).isEqualTo(phone);
    assertThat(Duration.between(Instant.parse(session.get("last_inbound_at").asText()),
        Instant.parse(session.get("window_expires_at").asText()))).isEqualTo(Duration.ofHours(24));

    String id = remind(user, Instant.now());
    awaitStatus(id, "READ");
    assertThat(app.get("/api/reminders/" + id).json().get("channel").asText()).isEqualTo("freeform");
    assertThat(app.get("/api/whatsapp/session/not-a-phone").status()).isEqualTo(422);
  }

  @Test
  void givenAReminderWasRead_whenTheUserRepliesDone_itIsAcknowledgedAndConfirmed() {
    String phone = phone();
    String id = remind(app.createUser(phone), Instant.now());
    awaitStatus(id, "READ");

    write(phone, "Done ✅");
    awaitStatus(id, "ACKNOWLEDGED");
    eventually(Duration.ofSeconds(10), "confirmation", () -> messagesTo(phone).size() == 2);
    assertThat(messagesTo(phone).get(0).get("body").asText()).isEqualTo("✅ Done: Water the plants.");
  }

  @Test
  void givenAReminderWasRead_whenTheUserSnoozes_itIsScheduledAgainAndConfirmed() {
    String phone = phone();
    String id = remind(app.createUser(phone), Instant.now());
    awaitStatus(id, "READ");

    write(phone, "snooze 30m");
    awaitStatus(id, "SNOOZED");
    Instant due = Instant.parse(app.get("/api/reminders/" + id).json().get("due_at").asText());
    assertThat(due).isBetween(Instant.now().plus(Duration.ofMinutes(29)), Instant.now().plus(Duration.ofMinutes(31)));
    eventually(Duration.ofSeconds(10), "confirmation", () -> messagesTo(phone).size() == 2);
    assertThat(messagesTo(phone).get(0).get("body").asText()).startsWith("⏰ Snoozed");
  }

  @Test
  void givenTwoRemindersOut_aReplyQuotingOneActsOnThatOne_andAnUnquotedDoneActsOnNeither() {
    String phone = phone();
    String user = app.createUser(phone);
    String first = remind(user, Instant.now());
    String second = remind(user, Instant.now());
    awaitStatus(first, "READ");
    awaitStatus(second, "READ");

    write(phone, "done");
    eventually(Duration.ofSeconds(10), "stored", () -> db.jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM inbound_messages WHERE from_number = :p AND processed_at IS NOT NULL")
        .bind("p", phone).mapTo(Integer.class).one()) == 1);
    assertThat(app.get("/api/reminders/" + first).json().get("status").asText()).isEqualTo("READ");
    eventually(Duration.ofSeconds(10), "asked which one", () -> messagesTo(phone).get(0).path("body").asText("")
        .startsWith("You have 2 open reminders; which one did you mean?"));

    String firstSid = app.get("/api/reminders/" + first).json().get("message_sid").asText();
    writeFields(phone, "\"body\":\"cancel\"", "\"replied_to_sid\":\"" + firstSid + "\"");
    awaitStatus(first, "CANCELLED");
    assertThat(app.get("/api/reminders/" + second).json().get("status").asText()).isEqualTo("READ");
  }

  @Test
  void givenStop_pendingRemindersEndOptedOut_newOnesAreRefused_untilStart() {
    String phone = phone();
    String user = app.createUser(phone);
    String pending = remind(user, Instant.now().plus(Duration.ofHours(1)));

    write(phone, "STOP");
    awaitStatus(pending, "OPTED_OUT");
    RunningApp.Reply refused = app.post("/api/reminders", """
        {"user_id":"%s","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},
         "due_at":"2030-01-01T00:00:00Z"}""".formatted(user));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().get("error").asText()).contains("START");

    write(phone, "start");
    eventually(Duration.ofSeconds(10), "opted back in", () -> app.post("/api/reminders", """
        {"user_id":"%s","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},
         "due_at":"2030-01-01T00:00:00Z"}""".formatted(user)).status() == 201);
    eventually(Duration.ofSeconds(10), "both confirmed", () -> messagesTo(phone).size() == 2);
    assertThat(messagesTo(phone)).extracting(m -> m.path("body").asText(""))
        .anyMatch(body -> body.startsWith("🔕 You won't get reminders"))
        .anyMatch(body -> body.startsWith("🔔 Reminders are back on"));
    assertThat(messagesTo(phone)).noneMatch(m -> m.hasNonNull("content_sid"));
  }

  @Test
  void givenAnUnknownNumberOrAUsersPlainMessage_itIsStoredAndSettledWithoutAWorkflow_butACommandHasOne() {
    String phone = phone();
    String sid = write(phone, "who is this?").get("message_sid").asText();
    String user = phone();
    app.createUser(user);
    String chat = write(user, "thanks, see you tomorrow").get("message_sid").asText();
    String command = write(user, "STOP").get("message_sid").asText();
    for (String[] expected : List.of(new String[] {sid, "UNKNOWN_SENDER"}, new String[] {chat, "MESSAGE"},
        new String[] {command, "STOP"})) {
      eventually(Duration.ofSeconds(10), expected[1] + " processed", () -> expected[1].equals(db.jdbi().withHandle(
          h -> h.createQuery("SELECT interpretation FROM inbound_messages WHERE sid = :s AND processed_at IS NOT NULL")
              .bind("s", expected[0]).mapTo(String.class).findOne().orElse(null))));
    }
    String unknownUser = db.jdbi().withHandle(h -> h.createQuery("SELECT user_id FROM inbound_messages WHERE sid = :s")
        .bind("s", sid).mapTo(String.class).findOne().orElse(null));
    assertThat(unknownUser).isNull();
    // Nothing to act on: no workflow (Temporal's capacity is for reminders and commands). A command has one.
    assertThat(workflowExists(WorkflowIds.inbound(sid))).isFalse();
    assertThat(workflowExists(WorkflowIds.inbound(chat))).isFalse();
    assertThat(workflowExists(WorkflowIds.inbound(command))).isTrue();
  }

  private static boolean workflowExists(String id) {
    try {
      app.temporalClient().newUntypedWorkflowStub(id).describe();
      return true;
    } catch (io.temporal.client.WorkflowNotFoundException notFound) {
      return false;
    }
  }

  @Test
  void givenSandboxJoinCode_itIsAcknowledgedAndNeverACommand() {
    String phone = phone();
    String id = remind(app.createUser(phone), Instant.now());
    awaitStatus(id, "READ");
    JsonNode delivered = write(phone, "join shiny-lamp");
    eventually(Duration.ofSeconds(10), "processed", () -> "JOIN".equals(db.jdbi().withHandle(h -> h.createQuery(
        "SELECT interpretation FROM inbound_messages WHERE sid = :s").bind("s", delivered.get("message_sid")
        .asText()).mapTo(String.class).findOne().orElse(null))));
    assertThat(app.get("/api/reminders/" + id).json().get("status").asText()).isEqualTo("READ");
  }
}
