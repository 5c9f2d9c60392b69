package dev.norns.whatsapp.activities.reminder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import dev.norns.whatsapp.activities.session.SessionCache;
import dev.norns.whatsapp.activities.session.SessionWindows;
import dev.norns.whatsapp.activities.templates.Template;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.activities.twilio.TwilioMessageSender;
import dev.norns.whatsapp.activities.twilio.TwilioSettings;
import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.DispatchReport;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher against WireMock standing in for Twilio and the real PostgreSQL holding the queue, the ledger and the
 * relay: it sends what is due once (across instances and after a lease ran out), nothing early, and queues a report
 * for every send it took.
 */
class SendDispatcherTest {
  private static final String CONTENT_SID = "HX0123456789abcdef0123456789abcdef";
  private static TestDatabase db;

  private WireMockServer twilio;
  private final List<SendDispatcher> dispatchers = new ArrayList<>();
  private final AtomicInteger relayed = new AtomicInteger();

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
    answer(created());
    db.jdbi().useHandle(h -> h.execute("DELETE FROM send_queue"));
    db.jdbi().useHandle(h -> h.execute("DELETE FROM status_relay"));
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (SendDispatcher dispatcher : dispatchers) {
      dispatcher.stop();
    }
    twilio.stop();
  }

  private SendDispatcher dispatcher(int mps) {
    TwilioSettings settings = new TwilioSettings("AC0123456789abcdef0123456789abcdef", "token",
        "whatsapp:+14155238886", URI.create("http://127.0.0.1:" + twilio.port()), Duration.ofSeconds(2),
        Duration.ofMillis(700));
    TemplateRegistry templates = new TemplateRegistry(List.of(new Template("task_reminder", CONTENT_SID,
        "WA_TEMPLATE_TASK_REMINDER", List.of("task_name", "due_time"), "Reminder: {{task_name}} is due {{due_time}}.",
        "UTILITY")));
    SessionWindows sessions = new SessionWindows(db.jdbi(), new SessionCache(URI.create("redis://127.0.0.1:6379"),
        "test-dispatch:", Duration.ofMillis(500), Clock.systemUTC()), Clock.systemUTC());
    SendRateLimiter rate = new SendRateLimiter(db.jdbi(), mps, Duration.ofSeconds(5), Duration.ofSeconds(10));
    WhatsAppSendActivitiesImpl sends = new WhatsAppSendActivitiesImpl(db.jdbi(), sessions,
        new TwilioMessageSender(settings), rate, templates, URI.create("https://norns.example.org/"),
        Duration.ofMinutes(2), Clock.systemUTC(), ChannelMetrics.none());
    SendDispatcher dispatcher = new SendDispatcher(db.jdbi(), sends, rate, 4, Duration.ofSeconds(2),
        Duration.ZERO, relayed::incrementAndGet);
    dispatchers.add(dispatcher);
    return dispatcher;
  }

  private void answer(ResponseDefinitionBuilder response) {
    twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/.*/Messages.json")).willReturn(response));
  }

  private ResponseDefinitionBuilder created() {
    return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
        .withBody("{\"sid\":\"SM{{randomValue length=32 type='HEXADECIMAL' lowercase=true}}\","
            + "\"status\":\"queued\"}")
        .withTransformers("response-template");
  }

  /** A reminder's send queued for {@code due}, as the workflow's local activity queues it. */
  private UUID queue(Instant due) {
    UUID reminder = SendFixture.reminder(db);
    OutboundMessage message = new OutboundMessage(reminder.toString(), "send-1", null, "+14155550123",
        Channel.TEMPLATE, "task_reminder", Map.of("task_name", "Ship", "due_time", "5pm"), null);
    new ReminderActivitiesImpl(db.jdbi(), ChannelMetrics.none(), null).queueSend(message, due);
    return reminder;
  }

  private int twilioCalls() {
    return twilio.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))).size();
  }

  private List<DispatchReport> reports() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT outcome::text FROM status_relay WHERE outcome IS NOT NULL")
        .mapTo(String.class).list()).stream().map(json -> Payloads.read(json, DispatchReport.class)).toList();
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private int queued() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM send_queue").mapTo(Integer.class).one());
  }

  @Test
  void aDueSend_goesOutOnce_andItsReportIsQueuedForTheWorkflow() throws InterruptedException {
    UUID reminder = queue(Instant.now().minusSeconds(1));
    dispatcher(100).start();

    waitFor(() -> reports().size() == 1);
    assertThat(twilioCalls()).isEqualTo(1);
    assertThat(queued()).isZero();
    DispatchReport report = reports().get(0);
    assertThat(report.attemptKey()).isEqualTo("send-1");
    assertThat(report.outcome().result()).isEqualTo(SendOutcome.Result.ACCEPTED);
    assertThat(report.outcome().messageSid()).startsWith("SM");
    assertThat(report.outcome().sentAt()).isNotNull();
    assertThat(relayed.get()).isEqualTo(1);
    UUID relayedFor = db.jdbi().withHandle(h -> h.createQuery("SELECT reminder_id FROM status_relay")
        .mapTo(UUID.class).one());
    assertThat(relayedFor).isEqualTo(reminder);
  }

  @Test
  void aSendNotYetDue_waitsForItsTime() throws InterruptedException {
    queue(Instant.now().plusSeconds(2));
    dispatcher(100).start();

    Thread.sleep(1000);
    assertThat(twilioCalls()).isZero();
    waitFor(() -> reports().size() == 1);
    assertThat(twilioCalls()).isEqualTo(1);
  }

  @Test
  void twoInstances_sendEachQueuedMessageOnce() throws InterruptedException {
    for (int i = 0; i < 40; i++) {
      queue(Instant.now().minusSeconds(1));
    }
    dispatcher(1000).start();
    dispatcher(1000).start();

    waitFor(() -> reports().size() == 40);
    assertThat(twilioCalls()).isEqualTo(40);
    assertThat(queued()).isZero();
  }

  @Test
  void aRowLeftTakenByAStoppedInstance_isTakenAgainWhenItsLeaseRunsOut_andSentOnce() throws InterruptedException {
    UUID reminder = queue(Instant.now().minusSeconds(1));
    db.jdbi().useHandle(h -> h.execute("UPDATE send_queue SET taken_by = 'gone', lease_until = now() + interval "
        + "'1 second' WHERE reminder_id = ?", reminder));
    dispatcher(100).start();

    Thread.sleep(300);
    assertThat(twilioCalls()).isZero();
    waitFor(() -> reports().size() == 1);
    assertThat(twilioCalls()).isEqualTo(1);
  }

  @Test
  void twilioFailingTransiently_handsTheSendBackToTheWorkflow() throws InterruptedException {
    answer(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
        .withBody("{\"code\":20503,\"message\":\"unavailable\",\"status\":503}"));
    queue(Instant.now().minusSeconds(1));
    dispatcher(100).start();

    waitFor(() -> reports().size() == 1);
    DispatchReport report = reports().get(0);
    assertThat(report.outcome()).isNull();
    assertThat(report.handedBack()).contains("503");
    assertThat(queued()).isZero();
  }

  @Test
  void theSendersCapHolds_noSecondSeesMoreThanItsMessagesPerSecond() throws InterruptedException {
    SendDispatcher dispatcher = dispatcher(5);
    dispatcher.start();
    queue(Instant.now().minusSeconds(1));
    waitFor(() -> reports().size() == 1);
    // Warm (classes loaded, connection open): a send now leaves within milliseconds of taking its slot.
    twilio.resetRequests();
    for (int i = 0; i < 12; i++) {
      queue(Instant.now().minusSeconds(1));
    }
    dispatcher.wake();

    waitFor(() -> reports().size() == 13);
    Map<Long, Long> perSecond = new java.util.TreeMap<>();
    twilio.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))).forEach(r ->
        perSecond.merge(r.getLoggedDate().getTime() / 1000, 1L, Long::sum));
    assertThat(perSecond.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(5));
    assertThat(perSecond.size()).isGreaterThanOrEqualTo(3);
  }
}
