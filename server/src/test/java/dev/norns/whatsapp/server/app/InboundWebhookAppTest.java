package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.inbound.InboundJournal;
import dev.norns.whatsapp.activities.inbound.InboundMessage;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.server.security.TwilioSignatures;
import io.dropwizard.testing.ConfigOverride;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The inbound webhook as Twilio calls it, signed with a known auth token; Redis deliberately unreachable. */
class InboundWebhookAppTest {
  private static final String TOKEN = "fedcba9876543210fedcba9876543210";
  private static final String PUBLIC = "https://norns.example.org";
  private static TestDatabase db;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db, twilioMode()).start();
  }

  static ConfigOverride[] twilioMode() {
    return new ConfigOverride[] {
        ConfigOverride.config("twilio.accountSid", "AC0123456789abcdef0123456789abcdef"),
        ConfigOverride.config("twilio.authToken", TOKEN),
        ConfigOverride.config("twilio.whatsappFrom", "whatsapp:+14155238886"),
        ConfigOverride.config("publicBaseUrl", PUBLIC),
        ConfigOverride.config("redisUrl", "redis://127.0.0.1:1")};
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  private static Map<String, String> params(String sid, String from, String body) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("MessageSid", sid);
    params.put("AccountSid", "AC0123456789abcdef0123456789abcdef");
    if (from != null) {
      params.put("From", from);
    }
    params.put("To", "whatsapp:+14155238886");
    params.put("Body", body);
    params.put("NumMedia", "1");
    params.put("MediaUrl0", "https://api.twilio.com/media/ME1");
    params.put("MediaContentType0", "image/jpeg");
    return params;
  }

  private static RunningApp.Reply post(Map<String, String> params, String signature) {
    String form = params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.base() + "/whatsapp/webhook"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    if (signature != null) {
      request.header("X-Twilio-Signature", signature);
    }
    return app.send(request);
  }

  private static RunningApp.Reply signed(Map<String, String> params) {
    return post(params, new TwilioSignatures(TOKEN).sign(PUBLIC + "/whatsapp/webhook", params));
  }

  private static String sid() {
    return "SM" + UUID.randomUUID().toString().replace("-", "");
  }

  private static int stored(String sid) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM inbound_messages WHERE sid = :s")
        .bind("s", sid).mapTo(Integer.class).one());
  }

  @Test
  void givenSignedInbound_itAnswersEmptyTwiml_andStoresItOnceEvenWhenTwilioRetries() {
    String sid = sid();
    Map<String, String> params = params(sid, "whatsapp:+14155550142", "hi 👋");
    RunningApp.Reply first = signed(params);
    RunningApp.Reply retry = signed(params);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).contains("<Response/>");
    assertThat(retry.status()).isEqualTo(200);
    eventually(Duration.ofSeconds(10), "stored", () -> stored(sid) == 1);
    String media = db.jdbi().withHandle(h -> h.createQuery("SELECT media::text FROM inbound_messages WHERE sid = :s")
        .bind("s", sid).mapTo(String.class).one());
    assertThat(media).contains("image/jpeg").contains("ME1");
  }

  @Test
  void givenRedisDown_theWindowIsStillOpenedAndReadFromPostgres_andHealthSaysDegraded() {
    String phone = "+14155550143";
    assertThat(signed(params(sid(), "whatsapp:" + phone, "hello")).status()).isEqualTo(200);
    eventually(Duration.ofSeconds(10), "window open", () ->
        "IN_WINDOW".equals(app.get("/api/whatsapp/session/" + phone).json().get("status").asText()));
    assertThat(app.get("/api/whatsapp/session/" + phone).json().get("source").asText()).isEqualTo("database");
    RunningApp.Reply health = app.send(HttpRequest.newBuilder(URI.create(app.admin() + "/healthcheck")));
    assertThat(health.json().get("redis").get("healthy").asBoolean()).isTrue();
    assertThat(health.json().get("redis").get("message").asText()).startsWith("degraded").contains("(since ");
    assertThat(health.json().get("redis").get("degraded_since").asText()).isNotBlank();
  }

  @Test
  void givenForgedOrMissingSignature_itIs403AndNothingIsStored() {
    String sid = sid();
    Map<String, String> params = params(sid, "whatsapp:+14155550144", "hi");
    assertThat(post(params, null).status()).isEqualTo(403);
    assertThat(post(params, new TwilioSignatures("not-the-token").sign(PUBLIC + "/whatsapp/webhook", params))
        .status()).isEqualTo(403);
    assertThat(spooled(app.spool())).doesNotContain(sid);
    assertThat(stored(sid)).isZero();
  }

  @Test
  void givenARepeatedField_theSignatureCoversEveryValue_asTwilioSignsIt_andABadlyEncodedBodyIs400() {
    String sid = sid();
    Map<String, String> params = params(sid, "whatsapp:+14155550145", "two values");
    String form = params.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"))
        + "&AddOns=b&AddOns=a";
    Map<String, java.util.List<String>> every = new java.util.TreeMap<>();
    params.forEach((k, v) -> every.put(k, java.util.List.of(v)));
    every.put("AddOns", java.util.List.of("b", "a"));
    Map<String, String> firstOnly = new java.util.TreeMap<>(params);
    firstOnly.put("AddOns", "b");
    TwilioSignatures twilio = new TwilioSignatures(TOKEN);
    // Signed over the first value only (what a first-value parser would check): refused.
    assertThat(postForm(form, twilio.sign(PUBLIC + "/whatsapp/webhook", firstOnly)).status()).isEqualTo(403);
    assertThat(stored(sid)).isZero();
    // Signed over both values, sorted (what Twilio sends): accepted and stored.
    assertThat(postForm(form, twilio.signForm(PUBLIC + "/whatsapp/webhook", every)).status()).isEqualTo(200);
    eventually(Duration.ofSeconds(10), "stored", () -> stored(sid) == 1);

    RunningApp.Reply garbled = postForm("MessageSid=SM1&Body=%zz", "anything");
    assertThat(garbled.status()).isEqualTo(400);
    assertThat(garbled.body()).contains("application/x-www-form-urlencoded");
  }

  private static RunningApp.Reply postForm(String form, String signature) {
    return app.send(HttpRequest.newBuilder(URI.create(app.base() + "/whatsapp/webhook"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  @Test
  void givenMalformedParameters_itAnswers4xxNever5xx_andStoresNothing() {
    String noFrom = sid();
    String sms = sid();
    String huge = sid();
    assertThat(signed(params(noFrom, null, "hi")).status()).isEqualTo(422);
    assertThat(signed(params(sms, "+14155550145", "hi")).status()).isEqualTo(422);
    assertThat(signed(params(huge, "whatsapp:+14155550145", "x".repeat(100 * 1024))).status()).isEqualTo(413);
    Map<String, String> badSid = params("../../etc/passwd", "whatsapp:+14155550145", "hi");
    assertThat(signed(badSid).status()).isEqualTo(422);
    assertThat(stored(noFrom) + stored(sms) + stored(huge)).isZero();
  }

  @Test
  void givenOddUnicode_itIsStoredAsSentExceptNul() {
    String sid = sid();
    String body = "RTL \u202Eabc\u202C, zero-width\u200B, emoji 👩‍👩‍👧, combining é, NUL\u0000end";
    assertThat(signed(params(sid, "whatsapp:+14155550146", body)).status()).isEqualTo(200);
    eventually(Duration.ofSeconds(10), "stored", () -> stored(sid) == 1);
    String kept = db.jdbi().withHandle(h -> h.createQuery("SELECT body FROM inbound_messages WHERE sid = :s")
        .bind("s", sid).mapTo(String.class).one());
    assertThat(kept).isEqualTo(body.replace('\u0000', '\uFFFD'));
  }

  @Test
  void givenMessagesSpooledWhenTheProcessDied_theNextStartProcessesThem_alsoOnesOfTheEarlierSpoolFormat()
      throws java.io.IOException {
    try (TestDatabase other = TestDatabase.create()) {
      Path spool = RunningApp.tempDir();
      String sid = sid();
      new InboundJournal(spool).write(new InboundMessage(sid, "whatsapp:+14155550147", "whatsapp:+14155238886",
          "spooled before a crash", null, "14155550147", List.of(), null, null, null, Instant.now()));
      // A file the one-file-per-message spool of earlier versions left behind.
      String legacy = sid();
      java.nio.file.Files.writeString(spool.resolve(legacy + ".json"), "{\"sid\":\"" + legacy + "\","
          + "\"from\":\"whatsapp:+14155550148\",\"to\":\"whatsapp:+14155238886\",\"body\":\"spooled before the "
          + "upgrade\",\"media\":[],\"receivedAt\":\"" + Instant.now() + "\"}");
      try (RunningApp restarted = new RunningApp(other, spool, twilioMode()).start()) {
        eventually(Duration.ofSeconds(15), "processed", () -> other.jdbi().withHandle(h -> h.createQuery(
            "SELECT count(*) FROM inbound_messages WHERE sid IN (:s, :l) AND processed_at IS NOT NULL")
            .bind("s", sid).bind("l", legacy).mapTo(Integer.class).one()) == 2);
        eventually(Duration.ofSeconds(5), "spool emptied", () -> !spooled(spool).contains(sid));
        assertThat(spooled(spool)).doesNotContain(legacy);
      }
    }
  }

  /** Everything in the spool directory, as text: what a message left there. */
  private static String spooled(Path spool) {
    try (var files = java.nio.file.Files.walk(spool)) {
      StringBuilder all = new StringBuilder();
      for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
        all.append(file.getFileName()).append('\n');
        try {
          all.append(new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.nio.file.NoSuchFileException gone) {
          // processed and removed while we looked
        }
      }
      return all.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
