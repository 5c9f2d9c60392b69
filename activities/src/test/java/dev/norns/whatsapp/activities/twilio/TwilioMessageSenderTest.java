package dev.norns.whatsapp.activities.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.norns.whatsapp.activities.twilio.TwilioErrors.Kind;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TwilioMessageSenderTest {

  private static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
  private static final String AUTH_TOKEN = "test-auth-token-0123456789abcdef";
  private static final String FROM = "whatsapp:+14155238886";
  private static final String TO = "+4915112345678";
  private static final String MESSAGE_SID = "SM3f1b2c4d5e6f708192a3b4c5d6e7f809";
  private static final String CONTENT_SID = "HXb5b62575e6e4ff6129ad7c8efe1f983e";
  private static final String MESSAGES_PATH = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
  private static final URI CALLBACK = URI.create("https://norns.example.org/twilio/status?reminder=r-42");

  private WireMockServer twilio;
  private TwilioMessageSender sender;

  @BeforeEach
  void startTwilio() {
    twilio = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    twilio.start();
    sender = new TwilioMessageSender(settings(URI.create("http://127.0.0.1:" + twilio.port()), Duration.ofSeconds(5)));
  }

  @AfterEach
  void stopTwilio() {
    twilio.stop();
  }

  @Test
  void givenFreeformText_whenSent_itShouldPostToWhatsappFormWithBasicAuth() {
    answer(aResponse().withStatus(201).withBody(created("queued")));

    SentMessage sent = sender.sendFreeform(TO, "Reminder: water the plants at 18:00 ✅", CALLBACK);

    assertThat(sent).isEqualTo(new SentMessage(MESSAGE_SID, "queued"));
    twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES_PATH))
        .withBasicAuth(new BasicCredentials(ACCOUNT_SID, AUTH_TOKEN))
        .withHeader("Content-Type", equalToIgnoreCase("application/x-www-form-urlencoded; charset=utf-8"))
        .withFormParam("To", equalTo("whatsapp:" + TO))
        .withFormParam("From", equalTo(FROM))
        .withFormParam("Body", equalTo("Reminder: water the plants at 18:00 ✅"))
        .withFormParam("StatusCallback", equalTo(CALLBACK.toString()))
        .withoutFormParam("ContentSid"));
  }

  @Test
  void givenTemplate_whenSent_itShouldPostContentSidAndVariablesWithoutBody() {
    answer(aResponse().withStatus(201).withBody(created("queued")));
    String variables = TwilioMessageSender.contentVariablesJson(List.of("Water the \"big\" plant", "18:00"));

    SentMessage sent = sender.sendTemplate(TO, CONTENT_SID, variables, CALLBACK);

    assertThat(sent.sid()).isEqualTo(MESSAGE_SID);
    twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES_PATH))
        .withFormParam("To", equalTo("whatsapp:" + TO))
        .withFormParam("From", equalTo(FROM))
        .withFormParam("ContentSid", equalTo(CONTENT_SID))
        .withFormParam("ContentVariables", equalToJson("{\"1\":\"Water the \\\"big\\\" plant\",\"2\":\"18:00\"}"))
        .withFormParam("StatusCallback", equalTo(CALLBACK.toString()))
        .withoutFormParam("Body"));
  }

  @Test
  void givenAGate_itIsAskedOnceBeforeTheRequestIsWritten_itsFlightLandsAfterTheAnswer_andAClosedOneSendsNothing() {
    answer(aResponse().withStatus(201).withBody(created("queued")));
    List<String> seen = new java.util.ArrayList<>();
    WireGate counting = () -> {
      seen.add("asked with " + twilio.getAllServeEvents().size() + " requests at Twilio");
      return () -> seen.add("landed with " + twilio.getAllServeEvents().size() + " requests at Twilio");
    };

    sender.sendTemplate(TO, CONTENT_SID, null, CALLBACK, counting);

    assertThat(seen).as("asked once before anything reached Twilio, landed once after")
        .containsExactly("asked with 0 requests at Twilio", "landed with 1 requests at Twilio");
    twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES_PATH)));

    WireGate closed = () -> null;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sender.sendFreeform(TO, "Hello", CALLBACK, closed))
        .isInstanceOf(WireGate.Closed.class).hasMessageContaining("not sent");
    twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES_PATH)));

    // The closed gate stays with its own send: the next one, without a gate, goes out.
    sender.sendFreeform(TO, "Hello again", CALLBACK);
    twilio.verify(2, postRequestedFor(urlPathEqualTo(MESSAGES_PATH)));
  }

  @Test
  void givenAGatedSendThatFails_itsFlightStillLands() {
    answer(aResponse().withStatus(500).withBody("{\"code\": 20500, \"message\": \"Internal error\"}"));
    AtomicInteger landed = new AtomicInteger();

    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> sender.sendFreeform(TO, "Hello", CALLBACK, () -> landed::incrementAndGet))
        .isInstanceOf(TwilioSendException.class);

    assertThat(landed).as("the failed request's flight landed once").hasValue(1);
  }

  @Test
  void givenAGatedSendInterruptedWhileTwilioAnswers_itsFlightIsNotLanded_soItKeepsItsSlotUntilItsHorizon()
      throws Exception {
    answer(aResponse().withStatus(201).withBody(created("queued")).withFixedDelay(3_000));
    AtomicInteger landed = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread sending = new Thread(() -> {
      try {
        sender.sendFreeform(TO, "Hello", CALLBACK, () -> landed::incrementAndGet);
      } catch (RuntimeException e) {
        failure.set(e);
      }
    });
    sending.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (twilio.getAllServeEvents().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(twilio.getAllServeEvents()).as("the request reached Twilio").hasSize(1);

    sending.interrupt();
    sending.join(5_000);

    assertThat(sending.isAlive()).as("the send gave up when interrupted").isFalse();
    assertThat(failure.get()).isInstanceOf(TwilioSendException.class)
        .hasMessageContaining("MAY have reached Twilio");
    assertThat(landed).as("an interrupted send's flight is left to count until its horizon").hasValue(0);
  }

  @Test
  void givenAMessagingServiceAsTheSender_whenSent_itShouldPostMessagingServiceSidInsteadOfFrom() {
    answer(aResponse().withStatus(201).withBody(created("accepted")));
    String service = "MG0123456789abcdef0123456789abcdef";
    TwilioMessageSender viaService = new TwilioMessageSender(new TwilioSettings(ACCOUNT_SID, AUTH_TOKEN, service,
        URI.create("http://127.0.0.1:" + twilio.port()), Duration.ofSeconds(2), Duration.ofSeconds(5)));

    viaService.sendFreeform(TO, "Reminder: water the plants", CALLBACK);

    twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES_PATH))
        .withFormParam("MessagingServiceSid", equalTo(service))
        .withFormParam("To", equalTo("whatsapp:" + TO)));
    assertThat(twilio.getAllServeEvents().get(0).getRequest().getBodyAsString()).doesNotContain("From=");
  }

  @Test
  void givenARegionAndEdge_theApiBaseIsTwiliosRegionalHost() {
    assertThat(TwilioSettings.regional("ie1", "dublin")).hasToString("https://api.dublin.ie1.twilio.com");
    assertThat(TwilioSettings.regional(null, "sydney")).hasToString("https://api.sydney.us1.twilio.com");
    assertThat(TwilioSettings.regional("au1", "")).hasToString("https://api.au1.twilio.com");
    assertThat(TwilioSettings.regional("", null)).isEqualTo(TwilioSettings.TWILIO_API);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TwilioSettings.regional("IE1/evil", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenNoStatusCallback_whenSent_itShouldOmitTheParameter() {
    answer(aResponse().withStatus(201).withBody(created("accepted")));

    SentMessage sent = sender.sendFreeform("whatsapp:" + TO, "Hello", null);

    assertThat(sent.status()).isEqualTo("accepted");
    twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES_PATH))
        .withFormParam("To", equalTo("whatsapp:" + TO))
        .withoutFormParam("StatusCallback"));
  }

  @Test
  void givenInvalidToError_whenSent_itShouldThrowPermanent() {
    answer(error(400, 21211, "The 'To' number whatsapp:+4915112345678 is not a valid phone number."));

    TwilioSendException e = sendFreeformExpectingFailure();

    assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(e.code()).isEqualTo("21211");
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.mayHaveBeenAccepted()).isFalse();
  }

  @Test
  void givenOutsideWindowError_whenSent_itShouldThrowOutsideWindow() {
    answer(error(400, 63016, "Failed to send freeform message because you are outside the allowed window."));

    TwilioSendException e = sendFreeformExpectingFailure();

    assertThat(e.kind()).isEqualTo(Kind.OUTSIDE_WINDOW);
    assertThat(e.code()).isEqualTo("63016");
    assertThat(e.mayHaveBeenAccepted()).isFalse();
  }

  @Test
  void givenOptedOutRecipient_whenSent_itShouldThrowPermanentAndSayOptedOut() {
    answer(error(400, 21610, "Attempt to send to unsubscribed recipient"));

    TwilioSendException e = sendFreeformExpectingFailure();

    assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(e.optedOut()).isTrue();
  }

  @Test
  void givenTooManyRequests_whenSent_itShouldThrowTransientAfterOneRequest() {
    answer(error(429, 20429, "Too Many Requests"));

    TwilioSendException e = sendFreeformExpectingFailure();

    assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(e.code()).isEqualTo("20429");
    assertThat(e.httpStatus()).isEqualTo(429);
    assertThat(e.mayHaveBeenAccepted()).isFalse();
    assertExactlyOneRequest();
  }

  @Test
  void givenServerError500_whenSent_itShouldThrowTransientWithoutResending() {
    answer(error(500, 20500, "Internal Server Error"));

    TwilioSendException e = sendFreeformExpectingFailure();

    assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(e.httpStatus()).isEqualTo(500);
    assertThat(e.mayHaveBeenAccepted()).isFalse();
    assertExactlyOneRequest();
  }

  @Test
  void givenServiceUnavailable503WithHtmlBody_whenSent_itShouldThrowTransientWithStatusAndNotResend() {
    answer(aResponse().withStatus(503).withHeader("Content-Type", "text/html")
        .withBody("<html><body><h1>503 Service Unavailable</h1></body></html>"));

    TwilioSendException e = sendFreeformExpectingFailure();

    assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(e.code()).isEqualTo("503");
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(e.mayHaveBeenAccepted()).isFalse();
    assertExactlyOneRequest();
  }

  @Test
  void givenAnswerSlowerThanRequestTimeout_whenSent_itShouldSayItMayHaveBeenAcceptedAndNotResend() {
    sender = new TwilioMessageSender(
        settings(URI.create("http://127.0.0.1:" + twilio.port()), Duration.ofMillis(300)));
    answer(aResponse().withStatus(201).withBody(created("queued")).withFixedDelay(2_000));

    TwilioSendException e = sendFreeformExpectingFailure();

    assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(e.code()).isEqualTo(TwilioSendException.TIMEOUT);
    assertThat(e.httpStatus()).isZero();
    assertThat(e.mayHaveBeenAccepted()).isTrue();
    assertThat(e.getMessage()).contains("MAY have accepted");
    assertExactlyOneRequest();
  }

  @Test
  void givenNothingListening_whenSent_itShouldSayTheRequestWasNotSent() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    sender = new TwilioMessageSender(settings(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(2)));

    TwilioSendException e = sendFreeformExpectingFailure();

    assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
    assertThat(e.code()).isEqualTo(TwilioSendException.CONNECTION);
    assertThat(e.mayHaveBeenAccepted()).isFalse();
    assertThat(e.getMessage()).contains("NOT sent");
  }

  @Test
  void givenSuccessAnswerWithoutSid_whenSent_itShouldSayItMayHaveBeenAccepted() {
    answer(aResponse().withStatus(201).withBody("{}"));

    TwilioSendException e = sendFreeformExpectingFailure();

    assertThat(e.code()).isEqualTo(TwilioSendException.BAD_ANSWER);
    assertThat(e.mayHaveBeenAccepted()).isTrue();
  }

  @Test
  void givenRecipientThatIsNotE164_whenSent_itShouldRefuseWithoutCallingTwilio() {
    TwilioSendException e = catchThrowableOfType(TwilioSendException.class,
        () -> sender.sendFreeform("015112345678", "Hello", CALLBACK));

    assertThat(e.kind()).isEqualTo(Kind.PERMANENT);
    assertThat(e.code()).isEqualTo(TwilioSendException.INVALID_TO);
    assertThat(twilio.getAllServeEvents()).isEmpty();
  }

  @Test
  void givenPositionalValues_whenEncoded_itShouldNumberThemFromOne() {
    assertThat(TwilioMessageSender.contentVariablesJson(List.of("a", "line\nbreak", "🌱")))
        .isEqualTo("{\"1\":\"a\",\"2\":\"line\\nbreak\",\"3\":\"🌱\"}");
  }

  private TwilioSendException sendFreeformExpectingFailure() {
    return catchThrowableOfType(TwilioSendException.class,
        () -> sender.sendFreeform(TO, "Reminder: water the plants", CALLBACK));
  }

  private void assertExactlyOneRequest() {
    twilio.verify(1, postRequestedFor(urlPathEqualTo(MESSAGES_PATH)));
    assertThat(twilio.getAllServeEvents()).hasSize(1);
  }

  private void answer(ResponseDefinitionBuilder response) {
    twilio.stubFor(post(urlPathEqualTo(MESSAGES_PATH))
        .willReturn(response.withHeader("Twilio-Request-Id", "RQ0123456789abcdef0123456789abcdef")));
  }

  private static TwilioSettings settings(URI base, Duration requestTimeout) {
    return new TwilioSettings(ACCOUNT_SID, AUTH_TOKEN, FROM, base, Duration.ofSeconds(2), requestTimeout);
  }

  private static ResponseDefinitionBuilder error(int status, int code, String message) {
    return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody("""
        {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}"""
        .formatted(code, message, code, status));
  }

  private static String created(String status) {
    return """
        {"account_sid": "%s", "api_version": "2010-04-01", "body": "Reminder: water the plants",
         "date_created": "Tue, 24 Nov 2026 10:15:00 +0000", "date_sent": null,
         "date_updated": "Tue, 24 Nov 2026 10:15:00 +0000", "direction": "outbound-api", "error_code": null,
         "error_message": null, "from": "%s", "messaging_service_sid": null, "num_media": "0",
         "num_segments": "1", "price": null, "price_unit": null, "sid": "%s", "status": "%s",
         "subresource_uris": {"media": "/2010-04-01/Accounts/%s/Messages/%s/Media.json"},
         "to": "whatsapp:%s", "uri": "/2010-04-01/Accounts/%s/Messages/%s.json"}"""
        .formatted(ACCOUNT_SID, FROM, MESSAGE_SID, status, ACCOUNT_SID, MESSAGE_SID, TO, ACCOUNT_SID, MESSAGE_SID);
  }
}
