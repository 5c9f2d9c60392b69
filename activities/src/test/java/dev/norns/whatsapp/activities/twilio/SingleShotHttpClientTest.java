package dev.norns.whatsapp.activities.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.BasicCredentials;
import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SingleShotHttpClientTest {

  private WireMockServer server;
  private SingleShotHttpClient client;

  @BeforeEach
  void start() {
    server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    client = new SingleShotHttpClient(settings(URI.create("http://127.0.0.1:" + server.port())));
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void givenTwilioUrl_whenRewritten_itShouldKeepPathAndQueryOnTheConfiguredBase() throws Exception {
    SingleShotHttpClient sandbox = new SingleShotHttpClient(settings(URI.create("http://127.0.0.1:8080/twilio/")));

    URI target = sandbox.target(new URL("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=20"));

    assertThat(target).isEqualTo(URI.create("http://127.0.0.1:8080/twilio/2010-04-01/Accounts/AC1/Messages.json?PageSize=20"));
  }

  @Test
  void givenOtherHost_whenRewritten_itShouldLeaveTheUrlAlone() throws Exception {
    URI target = client.target(new URL("https://media.example.org/v1/Media/ME1"));

    assertThat(target).isEqualTo(URI.create("https://media.example.org/v1/Media/ME1"));
  }

  @Test
  void givenTheContentApi_itFollowsTheBase_underContentOnALocalBase_andOnTheRegionsContentHost() throws Exception {
    URL content = new URL("https://content.twilio.com/v1/ContentAndApprovals?PageSize=100");
    assertThat(new SingleShotHttpClient(settings(URI.create("http://127.0.0.1:8080/twilio/"))).target(content))
        .isEqualTo(URI.create("http://127.0.0.1:8080/twilio/content/v1/ContentAndApprovals?PageSize=100"));
    assertThat(new SingleShotHttpClient(settings(URI.create("https://api.dublin.ie1.twilio.com"))).target(content))
        .isEqualTo(URI.create("https://content.dublin.ie1.twilio.com/v1/ContentAndApprovals?PageSize=100"));
    assertThat(new SingleShotHttpClient(settings(TwilioSettings.TWILIO_API)).target(content))
        .isEqualTo(URI.create("https://content.twilio.com/v1/ContentAndApprovals?PageSize=100"));
  }

  @Test
  void givenRetryArguments_whenServerFails_itShouldStillSendOnce() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
    Request request = new Request(HttpMethod.POST, "api", "/2010-04-01/Accounts/AC1/Messages.json");
    request.addPostParam("Body", "hello");

    Response response = client.reliableRequest(request, HttpClient.RETRY_CODES, 5, 10);

    assertThat(response.getStatusCode()).isEqualTo(503);
    server.verify(1, anyRequestedFor(anyUrl()));
  }

  @Test
  void givenGetWithQueryAndAuth_whenSent_itShouldCopyQueryHeadersAndBasicAuth() {
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));
    Request request = new Request(HttpMethod.GET, "api", "/2010-04-01/Accounts/AC1/Messages.json");
    request.addQueryParam("To", "whatsapp:+4915112345678");
    request.addHeaderParam("X-Custom", "yes");
    request.setAuth("AC1", "secret");

    Response response = client.reliableRequest(request);

    assertThat(response.getContent()).isEqualTo("{\"ok\":true}");
    server.verify(1, getRequestedFor(urlEqualTo("/2010-04-01/Accounts/AC1/Messages.json?To=whatsapp%3A%2B4915112345678"))
        .withHeader("X-Custom", equalTo("yes"))
        .withBasicAuth(new BasicCredentials("AC1", "secret")));
  }

  private static TwilioSettings settings(URI base) {
    return new TwilioSettings("AC1", "secret", "whatsapp:+14155238886", base, Duration.ofSeconds(2),
        Duration.ofSeconds(5));
  }
}
