package dev.norns.whatsapp.activities.reminder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.norns.whatsapp.activities.db.MessageDao;
import dev.norns.whatsapp.activities.db.MessageRow;
import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import dev.norns.whatsapp.activities.session.SessionCache;
import dev.norns.whatsapp.activities.session.SessionWindows;
import dev.norns.whatsapp.activities.templates.Template;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.activities.testing.MutableClock;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.activities.twilio.TwilioMessageSender;
import dev.norns.whatsapp.activities.twilio.TwilioSettings;
import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The send activity against WireMock standing in for Twilio and the real PostgreSQL holding the messages ledger. */
class WhatsAppSendActivitiesImplTest {
  private static final String CONTENT_SID = "HX0123456789abcdef0123456789abcdef";
  private static TestDatabase db;

  private final MutableClock clock = new MutableClock(Instant.now());
  private WireMockServer twilio;
  private WhatsAppSendActivitiesImpl activity;
  private SessionWindows sessions;
  private SessionCache cache;
  private UUID reminder;
  private final String sid = "SM" + UUID.randomUUID().toString().replace("-", "");

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @BeforeEach
  void start() {
    twilio = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    twilio.start();
    TwilioSettings settings = new TwilioSettings("AC0123456789abcdef0123456789abcdef", "token",
        "whatsapp:+14155238886", URI.create("http://127.0.0.1:" + twilio.port()), Duration.ofSeconds(2),
        Duration.ofMillis(2000));
    TemplateRegistry templates = new TemplateRegistry(List.of(
        new Template("task_reminder", CONTENT_SID, "WA_TEMPLATE_TASK_REMINDER", List.of("task_name", "due_time"),
            "Reminder: {{task_name}} is due {{due_time}}.", "UTILITY"),
        new Template("unapproved", null, "WA_TEMPLATE_UNAPPROVED", List.of(), "Hello", "UTILITY")));
    cache = new SessionCache(URI.create("redis://127.0.0.1:6379"),
        // a prefix of this run's own: test phone numbers repeat across runs, their cached windows must not
        "test-send-" + UUID.randomUUID() + ":",
        Duration.ofMillis(500), clock);
    sessions = new SessionWindows(db.jdbi(), cache, clock);
    activity = new WhatsAppSendActivitiesImpl(db.jdbi(), sessions, new TwilioMessageSender(settings),
        new SendRateLimiter(db.jdbi(), 1000, Duration.ofSeconds(5), Duration.ofSeconds(10)), templates,
        URI.create("https://norns.example.org/"), Duration.ofMinutes(2), clock, ChannelMetrics.none());
    reminder = SendFixture.reminder(db);
  }

  @AfterEach
  void stop() {
    twilio.stop();
  }

  private void answer(ResponseDefinitionBuilder response) {
    twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/.*/Messages.json")).willReturn(response));
  }

  private ResponseDefinitionBuilder created() {
    return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
        .withBody("{\"sid\":\"" + sid + "\",\"status\":\"queued\"}");
  }

  private static ResponseDefinitionBuilder error(int http, int code) {
    return aResponse().withStatus(http).withHeader("Content-Type", "application/json")
        .withBody("{\"code\":" + code + ",\"message\":\"refused\",\"status\":" + http + "}");
  }

  private OutboundMessage message(Channel channel, String template) {
    return new OutboundMessage(reminder.toString(), "send-1", null, "+14155550123", channel, template,
        Map.of("task_name", "Ship", "due_time", "5pm"), null);
  }

  /** The reminder's own message: the activity finds the user's phone and picks the channel from their window. */
  private OutboundMessage forUser(String user) {
    return new OutboundMessage(reminder.toString(), "send-1", user, null, null, "task_reminder",
        Map.of("task_name", "Ship", "due_time", "5pm"), null);
  }

  private String userOf(UUID reminderId) {
    return db.jdbi().withExtension(dev.norns.whatsapp.activities.db.ReminderDao.class, dao -> dao.find(reminderId))
        .orElseThrow().userId().toString();
  }

  private String phoneOf(String user) {
    return db.jdbi().withExtension(dev.norns.whatsapp.activities.db.UserDao.class,
        dao -> dao.find(UUID.fromString(user))).orElseThrow().phoneNumber();
  }

  @Test
  void givenNoFinalCallback_aLookupAsksTwilioForTheMessage_andRecordsWhatItSays() {
    answer(created());
    activity.send(message(Channel.TEMPLATE, "task_reminder"));
    twilio.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
        urlPathMatching("/2010-04-01/Accounts/.*/Messages/" + sid + ".json")).willReturn(aResponse().withStatus(200)
        .withHeader("Content-Type", "application/json").withBody("{\"sid\":\"" + sid + "\",\"status\":\"delivered\"}")));
    DeliveryUpdate answer = activity.lookup(sid);
    assertThat(answer.status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(row().status()).isEqualTo("delivered");
  }

  @Test
  void givenAMessageTwilioDoesNotKnow_theLookupSaysNothing() {
    twilio.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching(".*/Messages/SMnope.json"))
        .willReturn(error(404, 20404)));
    assertThat(activity.lookup("SMnope")).isNull();
  }

  @Test
  void givenNoSessionWindow_itPicksTheTemplateAndSaysWhy() {
    answer(created());
    SendOutcome outcome = activity.send(forUser(userOf(reminder)));
    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.ACCEPTED);
    assertThat(outcome.channel()).isEqualTo(Channel.TEMPLATE);
    assertThat(outcome.channelReason()).contains("no session window");
    assertThat(row().channel()).isEqualTo("template");
  }

  @Test
  void givenAnOpenSessionWindow_itSendsFreeformToTheUsersPhone() {
    answer(created());
    String user = userOf(reminder);
    sessions.recordInbound(phoneOf(user), clock.instant());
    SendOutcome outcome = activity.send(forUser(user));
    assertThat(outcome.channel()).isEqualTo(Channel.FREEFORM);
    assertThat(outcome.channelReason()).contains("window open");
    assertThat(row().toNumber()).isEqualTo(phoneOf(user));
  }

  @Test
  void givenACachedWindowThatPostgresHasClosed_itSendsTheTemplate() {
    // PostgreSQL, the source of truth, holds the user's window closed (they last wrote 25 hours ago); a stale cache
    // entry still says open. A freeform message would be refused by WhatsApp outside the window.
    answer(created());
    String user = userOf(reminder);
    sessions.recordInbound(phoneOf(user), clock.instant().minus(Duration.ofHours(25)));
    cache.put(phoneOf(user), clock.instant().minusSeconds(60), clock.instant().plus(Duration.ofHours(23)));
    SendOutcome outcome = activity.send(forUser(user));
    assertThat(outcome.channel()).isEqualTo(Channel.TEMPLATE);
    assertThat(outcome.channelReason()).contains("session window closed");
    assertThat(row().channel()).isEqualTo("template");
  }

  @Test
  void givenAUserWhoOptedOut_nothingIsSentAndTheOutcomeSaysSo() {
    String user = userOf(reminder);
    db.jdbi().useExtension(dev.norns.whatsapp.activities.db.UserDao.class,
        dao -> dao.setOptedOut(UUID.fromString(user), true));
    SendOutcome outcome = activity.send(forUser(user));
    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.OPTED_OUT);
    assertThat(requests()).isZero();
  }

  @Test
  void givenAUserThatNoLongerExists_itIsRejectedWithoutCallingTwilio() {
    SendOutcome outcome = activity.send(forUser(UUID.randomUUID().toString()));
    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.REJECTED);
    assertThat(outcome.errorCode()).isEqualTo("USER_UNREACHABLE");
    assertThat(requests()).isZero();
  }

  @Test
  void givenTwilioSays21610_theOutcomeIsOptedOut() {
    answer(error(400, 21610));
    assertThat(activity.send(message(Channel.TEMPLATE, "task_reminder")).result())
        .isEqualTo(SendOutcome.Result.OPTED_OUT);
  }

  @Test
  void givenTheSendersCapHasNoSlot_nothingReachesTwilio_andTheOutcomeSaysWait() {
    WhatsAppSendActivitiesImpl capped = new WhatsAppSendActivitiesImpl(db.jdbi(), sessions,
        new TwilioMessageSender(new TwilioSettings("AC0123456789abcdef0123456789abcdef", "token",
            "whatsapp:+14155238886", URI.create("http://127.0.0.1:" + twilio.port()), Duration.ofSeconds(2),
            Duration.ofMillis(2000))),
        new SendRateLimiter(db.jdbi(), 1, Duration.ZERO, Duration.ofSeconds(10)), new TemplateRegistry(List.of(new Template("task_reminder",
            CONTENT_SID, "WA_TEMPLATE_TASK_REMINDER", List.of("task_name", "due_time"), "x", "UTILITY"))),
        URI.create("https://norns.example.org/"), Duration.ofMinutes(2), clock, ChannelMetrics.none());
    // Another instance's send is in flight: it holds the only slot until its answer is back.
    db.jdbi().useHandle(h -> h.execute("INSERT INTO send_flight (granted_at) VALUES (clock_timestamp())"));
    SendOutcome outcome = capped.send(message(Channel.TEMPLATE, "task_reminder"));
    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.NO_SLOT);
    assertThat(requests()).isZero();
    assertThat(row().state()).isEqualTo(MessageRow.RETRY);
  }

  private int requests() {
    return twilio.findAll(postRequestedFor(urlPathMatching(".*"))).size();
  }

  private MessageRow row() {
    return db.jdbi().withExtension(MessageDao.class, dao -> dao.findAttempt(reminder, "send-1")).orElseThrow();
  }

  @Test
  void givenTemplateSend_itPostsContentSidAndPositionalVariablesWithACallbackNamingTheAttempt() {
    answer(created());
    SendOutcome outcome = activity.send(message(Channel.TEMPLATE, "task_reminder"));

    assertThat(outcome).isEqualTo(SendOutcome.accepted(sid, DeliveryStatus.QUEUED).at(clock.instant()));
    twilio.verify(1, postRequestedFor(urlPathMatching(".*"))
        .withFormParam("ContentSid", equalTo(CONTENT_SID))
        .withFormParam("ContentVariables", equalTo("{\"1\":\"Ship\",\"2\":\"5pm\"}"))
        .withFormParam("StatusCallback", equalTo("https://norns.example.org/whatsapp/status?reminder=" + reminder
            + "&attempt=send-1")));
    assertThat(row().state()).isEqualTo("accepted");
  }

  @Test
  void givenFreeformWithoutText_itRendersTheTemplateBody() {
    answer(created());
    activity.send(message(Channel.FREEFORM, "task_reminder"));
    twilio.verify(1, postRequestedFor(urlPathMatching(".*"))
        .withFormParam("Body", equalTo("Reminder: Ship is due 5pm.")));
  }

  @Test
  void givenTheActivityRunsAgainAfterSuccess_itReturnsTheSameSidWithoutCallingTwilio() {
    answer(created());
    activity.send(message(Channel.TEMPLATE, "task_reminder"));
    SendOutcome again = activity.send(message(Channel.TEMPLATE, "task_reminder"));
    assertThat(again.messageSid()).isEqualTo(sid);
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void givenTwilio503_itThrowsRetryable_andTheRetrySendsOnce() {
    answer(error(503, 20500));
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class,
        () -> activity.send(message(Channel.TEMPLATE, "task_reminder")));
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(row().state()).isEqualTo("retry");

    twilio.resetAll();
    answer(created());
    assertThat(activity.send(message(Channel.TEMPLATE, "task_reminder")).messageSid()).isEqualTo(sid);
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void givenTimeoutAfterSending_itNeverResends_andTheCallbackSettlesIt() {
    answer(created().withFixedDelay(4000));
    catchThrowableOfType(ApplicationFailure.class, () -> activity.send(message(Channel.TEMPLATE, "task_reminder")));
    assertThat(row().state()).isEqualTo("sending");

    ApplicationFailure pending = catchThrowableOfType(ApplicationFailure.class,
        () -> activity.send(message(Channel.TEMPLATE, "task_reminder")));
    assertThat(pending.getType()).isEqualTo("SendOutcomePending");

    new DeliveryLedger(db.jdbi()).record(sid, reminder.toString(), "send-1", DeliveryStatus.SENT, null, null);
    SendOutcome outcome = activity.send(message(Channel.TEMPLATE, "task_reminder"));
    assertThat(outcome).isEqualTo(SendOutcome.accepted(sid, DeliveryStatus.SENT).at(row().createdAt()));
    assertThat(requests()).isEqualTo(1);
  }

  /** Twilio's list of messages to the test number: each (sid, body), created now. */
  private void listed(String... sidsAndBodies) {
    StringBuilder messages = new StringBuilder();
    String now = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
    for (int i = 0; i < sidsAndBodies.length; i += 2) {
      messages.append(messages.length() == 0 ? "" : ",").append("{\"sid\":\"").append(sidsAndBodies[i])
          .append("\",\"status\":\"delivered\",\"to\":\"whatsapp:+14155550123\",\"body\":\"")
          .append(sidsAndBodies[i + 1]).append("\",\"date_created\":\"").append(now).append("\"}");
    }
    twilio.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathMatching(
        "/2010-04-01/Accounts/.*/Messages.json")).withQueryParam("To",
        com.github.tomakehurst.wiremock.client.WireMock.equalTo("whatsapp:+14155550123"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody("{\"messages\":[" + messages + "]}")));
  }

  @Test
  void givenTheAnswerLost_andTwilioListsTheMessage_itIsSettledWithItsSid_andNothingIsSentAgain() {
    answer(created().withFixedDelay(4000));
    catchThrowableOfType(ApplicationFailure.class, () -> activity.send(message(Channel.TEMPLATE, "task_reminder")));
    listed("SMother00000000000000000000000000", "Something else", sid, "Reminder: Ship is due 5pm.");
    clock.advance(Duration.ofSeconds(20));

    SendOutcome outcome = activity.send(message(Channel.TEMPLATE, "task_reminder"));

    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.ACCEPTED);
    assertThat(outcome.messageSid()).isEqualTo(sid);
    assertThat(row().sid()).isEqualTo(sid);
    assertThat(requests()).as("never sent twice").isEqualTo(1);
  }

  @Test
  void givenTheAnswerLost_andTwilioHasNoSuchMessageAfterTheGrace_itIsSentOnce() {
    answer(aResponse().withFixedDelay(4000).withStatus(201));
    catchThrowableOfType(ApplicationFailure.class, () -> activity.send(message(Channel.TEMPLATE, "task_reminder")));
    listed("SMother00000000000000000000000000", "Something else");
    clock.advance(Duration.ofSeconds(20));
    ApplicationFailure early = catchThrowableOfType(ApplicationFailure.class,
        () -> activity.send(message(Channel.TEMPLATE, "task_reminder")));
    assertThat(early.getType()).as("not before the grace").isEqualTo("SendOutcomePending");

    twilio.resetMappings();
    answer(created());
    listed("SMother00000000000000000000000000", "Something else");
    clock.advance(Duration.ofMinutes(3));
    SendOutcome outcome = activity.send(message(Channel.TEMPLATE, "task_reminder"));

    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.ACCEPTED);
    assertThat(outcome.messageSid()).isEqualTo(sid);
    assertThat(requests()).isEqualTo(2);
  }

  @Test
  void givenTheAnswerLost_andTwoMessagesCouldBeIt_itStaysUnknownRatherThanGuess() {
    answer(created().withFixedDelay(4000));
    catchThrowableOfType(ApplicationFailure.class, () -> activity.send(message(Channel.TEMPLATE, "task_reminder")));
    listed("SMfirst00000000000000000000000000", "Reminder: Ship is due 5pm.",
        "SMsecond0000000000000000000000000", "Reminder: Ship is due 5pm.");
    clock.advance(Duration.ofMinutes(3));
    SendOutcome outcome = activity.send(message(Channel.TEMPLATE, "task_reminder"));
    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.UNKNOWN);
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void givenTimeoutAndNoCallbackWithinTheGrace_andTwilioCannotBeAsked_itGivesUpAsUnknownRatherThanRiskADuplicate() {
    answer(created().withFixedDelay(4000));
    catchThrowableOfType(ApplicationFailure.class, () -> activity.send(message(Channel.TEMPLATE, "task_reminder")));
    clock.advance(Duration.ofMinutes(3));
    SendOutcome outcome = activity.send(message(Channel.TEMPLATE, "task_reminder"));
    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.UNKNOWN);
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void givenOutsideWindow63016_itReportsItWithoutRetrying_evenWhenAskedAgain() {
    answer(error(400, 63016));
    SendOutcome outcome = activity.send(message(Channel.FREEFORM, "task_reminder"));
    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.OUTSIDE_WINDOW);
    assertThat(activity.send(message(Channel.FREEFORM, "task_reminder")).result())
        .isEqualTo(SendOutcome.Result.OUTSIDE_WINDOW);
    assertThat(requests()).isEqualTo(1);
  }

  @Test
  void givenPermanentError_itIsRejectedWithTwiliosCode() {
    answer(error(400, 21211));
    SendOutcome outcome = activity.send(message(Channel.TEMPLATE, "task_reminder"));
    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.REJECTED);
    assertThat(outcome.errorCode()).isEqualTo("21211");
  }

  @Test
  void givenTemplateWithoutContentSid_itIsRejectedNamingTheEnvironmentVariable() {
    answer(created());
    SendOutcome outcome = activity.send(message(Channel.TEMPLATE, "unapproved"));
    assertThat(outcome.result()).isEqualTo(SendOutcome.Result.REJECTED);
    assertThat(outcome.errorMessage()).contains("WA_TEMPLATE_UNAPPROVED");
    assertThat(requests()).isZero();
  }
}
