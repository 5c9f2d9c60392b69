package dev.norns.whatsapp.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.server.security.TwilioSignatures;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status webhook takes only what Twilio signed with the account's auth token. */
class StatusWebhookSecurityAppTest {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";
  private static TestDatabase db;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    // Real-Twilio mode (the account is never called here) so the test knows the signing token.
    app = new RunningApp(db,
        io.dropwizard.testing.ConfigOverride.config("twilio.accountSid", "AC0123456789abcdef0123456789abcdef"),
        io.dropwizard.testing.ConfigOverride.config("twilio.authToken", TOKEN),
        io.dropwizard.testing.ConfigOverride.config("twilio.whatsappFrom", "whatsapp:+14155238886"),
        io.dropwizard.testing.ConfigOverride.config("publicBaseUrl", "https://norns.example.org")).start();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  private static RunningApp.Reply callback(String signature, String form) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.base() + "/whatsapp/status?reminder=r1"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form));
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    return app.send(request);
  }

  private static final Map<String, String> PARAMS = Map.of("MessageSid", "SMabc", "MessageStatus", "delivered");
  private static final String FORM = "MessageSid=SMabc&MessageStatus=delivered";

  @Test
  void givenNoSignature_itIs403() {
    assertThat(callback(null, FORM).status()).isEqualTo(403);
  }

  @Test
  void givenSignatureFromAnotherToken_itIs403() {
    String forged = new TwilioSignatures("attacker-token").sign(
        "https://norns.example.org/whatsapp/status?reminder=r1", PARAMS);
    assertThat(callback(forged, FORM).status()).isEqualTo(403);
  }

  @Test
  void givenSignatureOverOtherParameters_itIs403() {
    String signature = new TwilioSignatures(TOKEN).sign("https://norns.example.org/whatsapp/status?reminder=r1",
        Map.of("MessageSid", "SMabc", "MessageStatus", "sent"));
    assertThat(callback(signature, FORM).status()).isEqualTo(403);
  }

  @Test
  void givenSignatureForTheInternalUrlInsteadOfThePublicOne_itIs403() {
    String signature = new TwilioSignatures(TOKEN).sign(app.base() + "/whatsapp/status?reminder=r1", PARAMS);
    assertThat(callback(signature, FORM).status()).isEqualTo(403);
  }

  @Test
  void givenTwiliosSignatureOnThePublicUrl_anUnknownSidIsAcknowledged() {
    String signature = new TwilioSignatures(TOKEN).sign("https://norns.example.org/whatsapp/status?reminder=r1",
        PARAMS);
    RunningApp.Reply reply = callback(signature, FORM);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).contains("<Response/>");
  }

  @Test
  void givenSignedButMalformedCallback_itIs4xxNot5xx() {
    String signature = new TwilioSignatures(TOKEN).sign("https://norns.example.org/whatsapp/status?reminder=r1",
        Map.of("MessageStatus", "sent"));
    assertThat(callback(signature, "MessageStatus=sent").status()).isEqualTo(422);
  }
}
