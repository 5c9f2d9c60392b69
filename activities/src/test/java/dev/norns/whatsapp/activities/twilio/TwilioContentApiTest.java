package dev.norns.whatsapp.activities.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Content API read as Twilio answers it: pages followed, approvals and variables read, refusals thrown. */
class TwilioContentApiTest {
  private WireMockServer twilio;
  private TwilioContentApi api;

  @BeforeEach
  void start() {
    twilio = new WireMockServer(options().dynamicPort());
    twilio.start();
    api = new TwilioContentApi(new TwilioSettings("AC" + "0".repeat(32), "token", "whatsapp:+14155238886",
        URI.create("http://127.0.0.1:" + twilio.port()), Duration.ofSeconds(2), Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    twilio.stop();
  }

  private static String page(String contents, String next) {
    return """
        {"contents": [%s],
         "meta": {"page": 0, "page_size": 1, "key": "contents", "previous_page_url": null,
                  "first_page_url": "https://content.twilio.com/v1/ContentAndApprovals?PageSize=100&Page=0",
                  "url": "https://content.twilio.com/v1/ContentAndApprovals?PageSize=100&Page=0",
                  "next_page_url": %s}}""".formatted(contents, next == null ? "null" : "\"" + next + "\"");
  }

  @Test
  void givenTwoPages_everyTemplateIsRead_withItsApprovalVariablesAndText() {
    twilio.stubFor(get(urlPathEqualTo("/content/v1/ContentAndApprovals")).withQueryParam("Page", WireMock.absent())
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(page("""
            {"sid": "HX11111111111111111111111111111111", "friendly_name": "task_reminder", "language": "en",
             "variables": {"1": "Ship it", "2": "5pm"},
             "types": {"twilio/text": {"body": "Reminder: {{1}} is due {{2}}"}},
             "approval_requests": {"name": "task_reminder", "category": "UTILITY", "status": "approved",
                                   "rejection_reason": "", "type": "whatsapp"}}""",
            "https://content.twilio.com/v1/ContentAndApprovals?PageSize=100&Page=1&PageToken=PT1"))));
    twilio.stubFor(get(urlPathEqualTo("/content/v1/ContentAndApprovals")).withQueryParam("Page", WireMock.equalTo("1"))
        .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(page("""
            {"sid": "HX22222222222222222222222222222222", "friendly_name": "promo", "language": "en",
             "variables": {}, "types": {"twilio/card": {"title": "Sale", "body": "50% off"}},
             "approval_requests": {"name": "promo", "category": "MARKETING", "status": "rejected",
                                   "rejection_reason": "Promotional content", "type": "whatsapp"}}""", null))));

    List<TwilioContentApi.ContentTemplate> templates = api.templates();

    assertThat(templates).hasSize(2);
    TwilioContentApi.ContentTemplate reminder = templates.get(0);
    assertThat(reminder.sid()).isEqualTo("HX11111111111111111111111111111111");
    assertThat(reminder.approved()).isTrue();
    assertThat(reminder.category()).isEqualTo("UTILITY");
    assertThat(reminder.variables()).containsOnlyKeys("1", "2");
    assertThat(reminder.body()).isEqualTo("Reminder: {{1}} is due {{2}}");
    TwilioContentApi.ContentTemplate promo = templates.get(1);
    assertThat(promo.approved()).isFalse();
    assertThat(promo.status()).isEqualTo("rejected");
    assertThat(promo.rejectionReason()).isEqualTo("Promotional content");
    assertThat(promo.body()).isEqualTo("50% off");
  }

  @Test
  void givenWrongCredentials_TwilioRefusalIsThrownWithItsCode() {
    twilio.stubFor(get(urlPathEqualTo("/content/v1/ContentAndApprovals")).willReturn(aResponse().withStatus(401)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"code\": 20003, \"message\": \"Authenticate\", \"status\": 401}")));

    assertThatThrownBy(() -> api.templates()).isInstanceOf(com.twilio.exception.ApiException.class)
        .hasMessageContaining("Authenticate");
  }
}
