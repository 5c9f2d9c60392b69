package dev.norns.whatsapp.server.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ordinary messages go to the agent as JSON, retried until it accepts them; commands never do. */
class AgentForwardAppTest {
  private static TestDatabase db;
  private static WireMockServer agent;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    agent = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    agent.start();
    agent.stubFor(post(urlEqualTo("/agent/messages")).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
    agent.stubFor(post(urlEqualTo("/agent/messages")).inScenario("flaky").whenScenarioStateIs("up")
        .willReturn(aResponse().withStatus(202)));
    app = new RunningApp(db, ConfigOverride.config("agentForwardUrl",
        "http://127.0.0.1:" + agent.port() + "/agent/messages")).start();
  }

  @AfterAll
  static void stop() {
    app.close();
    agent.stop();
    db.close();
  }

  @Test
  void givenAnOrdinaryMessage_theAgentGetsItAsJson_evenAfterRefusingItOnce() {
    String user = app.createUser("+447911230001");
    String sid = app.post("/sandbox/inbound", "{\"from\":\"whatsapp:+447911230001\",\"body\":\"what is due today?\"}")
        .json().get("message_sid").asText();

    eventually(Duration.ofSeconds(30), "accepted on the retry", () ->
        agent.findAll(postRequestedFor(urlEqualTo("/agent/messages"))).size() == 2);
    agent.verify(2, postRequestedFor(urlEqualTo("/agent/messages"))
        .withHeader("Idempotency-Key", equalTo(sid))
        .withRequestBody(matchingJsonPath("$.message_sid", equalTo(sid)))
        .withRequestBody(matchingJsonPath("$.user_id", equalTo(user)))
        .withRequestBody(matchingJsonPath("$.body", equalTo("what is due today?"))));

    String stranger = app.post("/sandbox/inbound", "{\"from\":\"whatsapp:+447911230002\",\"body\":\"hello?\"}")
        .json().get("message_sid").asText();
    eventually(Duration.ofSeconds(15), "unknown sender forwarded without a user", () -> agent.findAll(
        postRequestedFor(urlEqualTo("/agent/messages")).withRequestBody(matchingJsonPath("$.message_sid",
            equalTo(stranger)))).size() == 1);

    app.post("/sandbox/inbound", "{\"from\":\"whatsapp:+447911230001\",\"body\":\"STOP\"}");
    eventually(Duration.ofSeconds(10), "STOP processed", () -> db.jdbi().withHandle(h -> h.createQuery(
        "SELECT count(*) FROM users WHERE opted_out_at IS NOT NULL").mapTo(Integer.class).one()) == 1);
    assertThat(agent.findAll(postRequestedFor(urlEqualTo("/agent/messages")))).hasSize(3);
  }
}
