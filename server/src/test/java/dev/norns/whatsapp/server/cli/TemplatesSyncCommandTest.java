package dev.norns.whatsapp.server.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code templates sync} against a Twilio-compatible endpoint (TWILIO_API_BASE_URL) that answers as the Content API
 * does: the configured template is checked against Twilio's, the result is stored, and the exit says whether it is
 * usable.
 */
class TemplatesSyncCommandTest {
  private static final String REMINDER_SID = "HX11111111111111111111111111111111";
  @TempDir
  static Path tmp;
  private static TestDatabase db;
  private static WireMockServer twilio;

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
    twilio = new WireMockServer(options().dynamicPort());
    twilio.start();
  }

  @AfterAll
  static void tearDown() {
    twilio.stop();
    db.close();
  }

  private static String config(String contentSid) {
    Map<String, String> settings = new HashMap<>(CliHarness.embeddedSettings(db.url(), db.user(),
        CliHarness.freePort()));
    settings.put("${TWILIO_ACCOUNT_SID:-}", "AC" + "1".repeat(32));
    settings.put("${TWILIO_AUTH_TOKEN:-}", "token-for-the-test");
    settings.put("${TWILIO_WHATSAPP_FROM:-}", "whatsapp:+14155238886");
    settings.put("${TWILIO_API_BASE_URL:-}", "http://127.0.0.1:" + twilio.port());
    settings.put("${WA_TEMPLATE_TASK_REMINDER:-}", contentSid);
    return CliHarness.config(tmp, settings).toString();
  }

  private static void twilioSays(String status, String variables) {
    twilio.resetAll();
    twilio.stubFor(get(urlPathEqualTo("/content/v1/ContentAndApprovals")).willReturn(aResponse()
        .withHeader("Content-Type", "application/json").withBody("""
            {"contents": [
              {"sid": "%s", "friendly_name": "task_reminder", "language": "en", "variables": %s,
               "types": {"twilio/text": {"body": "Reminder: {{1}} is due {{2}}"}},
               "approval_requests": {"name": "task_reminder", "category": "UTILITY", "status": "%s",
                                     "rejection_reason": ""}},
              {"sid": "HX99999999999999999999999999999999", "friendly_name": "weekly_digest", "language": "en",
               "variables": {"1": "x"}, "types": {"twilio/text": {"body": "Your week: {{1}}"}},
               "approval_requests": {"name": "weekly_digest", "category": "UTILITY", "status": "approved"}}],
             "meta": {"page": 0, "page_size": 2, "key": "contents", "next_page_url": null, "previous_page_url": null,
                      "first_page_url": "https://content.twilio.com/v1/ContentAndApprovals?PageSize=100&Page=0",
                      "url": "https://content.twilio.com/v1/ContentAndApprovals?PageSize=100&Page=0"}}"""
            .formatted(REMINDER_SID, variables, status))));
  }

  private static int stored() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM twilio_templates").mapTo(Integer.class)
        .one());
  }

  @Test
  void givenTheTemplateApprovedWithItsTwoVariables_syncSaysOk_storesWhatTwilioHas_andListsTheOthers() {
    twilioSays("approved", "{\"1\": \"Ship it\", \"2\": \"5pm\"}");

    CliHarness.Result result = CliHarness.run("templates", "sync", config(REMINDER_SID));

    assertThat(result.succeeded()).as(result.err() + result.out()).isTrue();
    assertThat(result.out().lines().filter(l -> l.startsWith("task_reminder")).findFirst()).get().asString()
        .contains(REMINDER_SID, "approved", "UTILITY", "2 (Twilio 2)", "ok");
    assertThat(result.out()).contains("on Twilio, not in config.yml:", "weekly_digest");
    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void givenTheTemplatePendingOrTakingOtherVariablesOrUnknown_syncSaysWhy_andFails() {
    twilioSays("pending", "{\"1\": \"Ship it\", \"2\": \"5pm\"}");
    CliHarness.Result pending = CliHarness.run("templates", "sync", config(REMINDER_SID));
    assertThat(pending.succeeded()).isFalse();
    assertThat(pending.out()).contains("not approved for WhatsApp: pending");

    twilioSays("approved", "{\"1\": \"Ship it\"}");
    CliHarness.Result variables = CliHarness.run("templates", "sync", config(REMINDER_SID));
    assertThat(variables.succeeded()).isFalse();
    assertThat(variables.out()).contains("takes 1 variables on Twilio, config.yml names 2 [task_name, due_time]");

    CliHarness.Result unknown = CliHarness.run("templates", "sync", config("HX" + "5".repeat(32)));
    assertThat(unknown.succeeded()).isFalse();
    assertThat(unknown.out()).contains("Twilio has no content template HX5555");
  }

  @Test
  void givenNoTwilioCredentials_itSaysWhereTheSandboxsContentApiIs() {
    CliHarness.Result result = CliHarness.run("templates", "sync", CliHarness.config(tmp,
        CliHarness.embeddedSettings(db.url(), db.user(), CliHarness.freePort())).toString());
    assertThat(result.succeeded()).isFalse();
    assertThat(result.err()).contains("POST /api/whatsapp/templates/sync").doesNotContain("\tat ");
  }
}
