package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.db.SessionDao;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import dev.norns.whatsapp.server.sandbox.SandboxAccount;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox failing the ways Twilio fails, on demand ({@code POST /sandbox/faults}), and a reminder driven through
 * each to the outcome a user would see, through the HTTP API: retried and sent once, failed with Twilio's code, opted
 * out, the template after a late 63016, one message despite a lost answer or bent callbacks.
 */
class SandboxFaultsAppTest {
  private static final AtomicInteger PHONES = new AtomicInteger(300000);
  private static final String ACCOUNT = "AC00000000000000000000000000000042";
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  /** The sandbox answers every send this late, as Twilio does (SANDBOX_LATENCY); the faults below come on top. */
  private static final Duration LATENCY = Duration.ofMillis(300);
  private static TestDatabase db;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db, ConfigOverride.config("twilio.requestTimeout", "2s"),
        ConfigOverride.config("reminders.confirmTimeout", "5s"),
        ConfigOverride.config("twilio.sandboxAccountSid", ACCOUNT),
        ConfigOverride.config("twilio.sandboxAuthToken", TOKEN),
        ConfigOverride.config("twilio.sandboxLatency", LATENCY.toMillis() + "ms")).start();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  private static String phone() {
    return "+447922" + PHONES.incrementAndGet();
  }

  private static void fault(String phone, String kind, int count) {
    RunningApp.Reply added = app.post("/sandbox/faults",
        "{\"kind\":\"%s\",\"to\":\"%s\",\"count\":%d}".formatted(kind, phone, count));
    assertThat(added.status()).as(added.body()).isEqualTo(201);
  }

  private static String remindNow(String user) {
    RunningApp.Reply created = app.post("/api/reminders", """
        {"user_id":"%s","template_name":"task_reminder",
         "variables":{"task_name":"Ship the release","due_time":"today 17:00"},"due_at":"%s"}"""
        .formatted(user, Instant.now().truncatedTo(ChronoUnit.MILLIS)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("reminder_id").asText();
  }

  private static JsonNode awaitStatus(String reminderId, String status) {
    JsonNode[] last = new JsonNode[1];
    try {
      eventually(Duration.ofSeconds(40), "reminder " + reminderId + " " + status, () -> {
        last[0] = app.get("/api/reminders/" + reminderId).json();
        return status.equals(last[0].get("status").asText());
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; it stands " + last[0], e);
    }
    return last[0];
  }

  /** A request to the sandbox's Twilio REST API, as twilio-java makes it (the account's basic auth). */
  private static HttpRequest.Builder twilioRequest(String path) {
    return HttpRequest.newBuilder(URI.create(app.base() + "/2010-04-01/Accounts/" + ACCOUNT + path))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN)
            .getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode sandboxMessages(String phone) {
    return app.get("/sandbox/messages?to=" + phone.replace("+", "%2B")).json();
  }

  @Test
  void twilioAnswering429Twice_theSendIsRetried_andTheUserGetsOneMessage() {
    String phone = phone();
    String user = app.createUser(phone);
    fault(phone, "429", 2);

    JsonNode read = awaitStatus(remindNow(user), "READ");
    assertThat(sandboxMessages(phone)).hasSize(1);
    assertThat(read.get("message_sid").asText()).isEqualTo(sandboxMessages(phone).get(0).get("sid").asText());
  }

  @Test
  void anInvalidNumber_21211_endsTheReminderFailedWithTwiliosCode_andNothingIsSent() {
    String phone = phone();
    String user = app.createUser(phone);
    fault(phone, "21211", 1);

    JsonNode failed = awaitStatus(remindNow(user), "FAILED");
    assertThat(failed.get("last_error_code").asText()).isEqualTo("21211");
    assertThat(sandboxMessages(phone)).isEmpty();
  }

  @Test
  void aSendNowThatTwilioRefusesForGood_answersWithTheFinalState_not201AsIfUnderWay() {
    String phone = phone();
    String user = app.createUser(phone);
    fault(phone, "21211", 1);

    RunningApp.Reply refused = app.post("/api/whatsapp/send?wait=true", """
        {"user_id":"%s","template_name":"task_reminder",
         "variables":{"task_name":"Ship the release","due_time":"today 17:00"}}""".formatted(user));
    assertThat(refused.status()).as(refused.body()).isEqualTo(200);
    assertThat(refused.json().get("status").asText()).isEqualTo("FAILED");
    assertThat(refused.json().get("last_error_code").asText()).isEqualTo("21211");

    RunningApp.Reply accepted = app.post("/api/whatsapp/send?wait=true", """
        {"user_id":"%s","template_name":"task_reminder",
         "variables":{"task_name":"Ship the release","due_time":"today 17:00"}}""".formatted(user));
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
    assertThat(accepted.json().get("status").asText()).isIn("SENT", "DELIVERED", "READ");
  }

  @Test
  void theSandboxListsMessagesAsTwilioDoes_newestFirst_withTheTemplatesTextRendered() throws Exception {
    String phone = phone();
    String user = app.createUser(phone);
    JsonNode read = awaitStatus(remindNow(user), "READ");

    RunningApp.Reply answer = app.send(twilioRequest(
        "/Messages.json?PageSize=20&To=" + URLEncoder.encode("whatsapp:" + phone, StandardCharsets.UTF_8)).GET());
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode messages = answer.json().get("messages");
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).get("sid").asText()).isEqualTo(read.get("message_sid").asText());
    assertThat(messages.get(0).get("body").asText()).contains("Ship the release").contains("today 17:00");
    assertThat(messages.get(0).get("date_created").asText()).endsWith("GMT");
  }

  @Test
  void aSendToTheSandbox_isAnsweredNoSoonerThanItsLatency_andAccepted() throws Exception {
    String phone = phone();
    String form = "To=" + URLEncoder.encode("whatsapp:" + phone, StandardCharsets.UTF_8)
        + "&From=" + URLEncoder.encode(SandboxAccount.SANDBOX_FROM, StandardCharsets.UTF_8)
        + "&ContentSid=HX00000000000000000000000000000001";
    long began = System.nanoTime();
    RunningApp.Reply answer = app.send(twilioRequest("/Messages.json")
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    assertThat(took).isGreaterThanOrEqualTo(LATENCY);
    assertThat(sandboxMessages(phone)).hasSize(1);
  }

  @Test
  void anUnsubscribedRecipient_21610_endsTheReminderOptedOut() {
    String phone = phone();
    String user = app.createUser(phone);
    fault(phone, "21610", 1);

    JsonNode optedOut = awaitStatus(remindNow(user), "OPTED_OUT");
    assertThat(optedOut.get("last_error_code").asText()).isEqualTo("21610");
    assertThat(sandboxMessages(phone)).isEmpty();
  }

  @Test
  void theWindowClosingBeforeTheFreeformWentOut_63016InACallback_sendsTheTemplateInstead() {
    String phone = phone();
    String user = app.createUser(phone);
    db.jdbi().useExtension(SessionDao.class, dao -> dao.recordInbound(phone, Instant.now().minusSeconds(60),
        Instant.now().plus(Duration.ofHours(23))));
    fault(phone, "63016", 1);

    JsonNode read = awaitStatus(remindNow(user), "READ");
    assertThat(read.get("channel").asText()).isEqualTo("template");
    JsonNode messages = sandboxMessages(phone);
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).get("content_sid").asText()).startsWith("HX");
    assertThat(messages.get(1).get("status").asText()).isEqualTo("failed");
  }

  @Test
  void whatsAppRefusingTheRecipient_63024InACallback_endsTheReminderFailed() {
    String phone = phone();
    String user = app.createUser(phone);
    fault(phone, "63024", 1);

    JsonNode failed = awaitStatus(remindNow(user), "FAILED");
    assertThat(failed.get("last_error_code").asText()).isEqualTo("63024");
    assertThat(sandboxMessages(phone)).hasSize(1);
  }

  @Test
  void theAnswerLostAfterTwilioAccepted_isSettledByTheCallback_andTheUserGetsOneMessage() {
    String phone = phone();
    String user = app.createUser(phone);
    fault(phone, "timeout", 1);

    JsonNode read = awaitStatus(remindNow(user), "READ");
    assertThat(sandboxMessages(phone)).hasSize(1);
    assertThat(read.get("message_sid").asText()).isEqualTo(sandboxMessages(phone).get(0).get("sid").asText());
  }

  @Test
  void callbacksDuplicatedOrShuffled_stillEndRead_withOneMessage() {
    String duplicated = phone();
    String shuffled = phone();
    String firstUser = app.createUser(duplicated);
    String secondUser = app.createUser(shuffled);
    fault(duplicated, "duplicated", 1);
    fault(shuffled, "shuffled", 1);
    String first = remindNow(firstUser);
    String second = remindNow(secondUser);

    awaitStatus(first, "READ");
    awaitStatus(second, "READ");
    assertThat(sandboxMessages(duplicated)).hasSize(1);
    assertThat(sandboxMessages(shuffled)).hasSize(1);
  }

  @Test
  void noCallbackAtAll_theReminderAsksTwilio_andStillEndsRead() {
    String phone = phone();
    String user = app.createUser(phone);
    fault(phone, "never", 1);

    awaitStatus(remindNow(user), "READ");
    assertThat(sandboxMessages(phone)).hasSize(1);
  }

  @Test
  void badFaultRules_areRefusedWithTheField_andNothingIsAdded() {
    int before = app.get("/sandbox/faults").json().size();
    assertThat(app.post("/sandbox/faults", "{\"kind\":\"nope\"}").json().get("field").asText()).isEqualTo("kind");
    assertThat(app.post("/sandbox/faults", "{\"kind\":\"429\",\"rate\":2}").json().get("field").asText())
        .isEqualTo("rate");
    assertThat(app.post("/sandbox/faults", "{\"kind\":\"429\",\"to\":\"abc\"}").json().get("field").asText())
        .isEqualTo("to");
    assertThat(app.post("/sandbox/faults", "{\"kind\":\"429\",\"count\":0}").status()).isEqualTo(422);
    assertThat(app.post("/sandbox/faults", "{\"kind\":\"429\",\"colour\":\"red\"}").status()).isEqualTo(422);
    assertThat(app.get("/sandbox/faults").json().size()).isEqualTo(before);
  }
}
