package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.activities.db.SessionDao;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runbook's operations as API calls: proactive send, metrics, health. */
class OperationsAppTest {
  private static final String RUNBOOK_USER = "701973d2-57e4-4c84-a2ec-ded996dcf676";
  private static TestDatabase db;
  private static RunningApp app;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db).start();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  /** The runbook's "Send Test Template Message" body, verbatim, with the user id of a user of ours. */
  private static String runbookBody(String userId) throws IOException {
    try (InputStream in = OperationsAppTest.class.getResourceAsStream("/runbook/send-template.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(RUNBOOK_USER, userId);
    }
  }

  private static String prometheus() {
    return app.send(HttpRequest.newBuilder(URI.create(app.admin() + "/prometheus"))).body();
  }

  private static double sample(String text, String metric) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + " ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void givenTheRunbooksSendBody_itSendsTheTemplate_andWaitAnswersOnceTwilioAccepted() throws IOException {
    String user = app.createUser("+447911210001");
    double sentBefore = sample(prometheus(),
        "whatsapp_messages_sent_total{channel=\"template\",purpose=\"reminder\"}");

    RunningApp.Reply reply = app.post("/api/whatsapp/send?wait=true", runbookBody(user));

    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    JsonNode sent = reply.json();
    assertThat(sent.get("status").asText()).isIn("SENT", "DELIVERED", "READ");
    assertThat(sent.get("message_sid").asText()).startsWith("SM");
    assertThat(sent.get("channel").asText()).isEqualTo("template");
    JsonNode message = app.get("/sandbox/messages?to=%2B447911210001").json().get(0);
    assertThat(message.get("content_variables").asText()).isEqualTo("{\"1\":\"Test reminder\",\"2\":\"now\"}");

    eventually(Duration.ofSeconds(15), "metrics move", () -> {
      String metrics = prometheus();
      return sample(metrics, "whatsapp_messages_sent_total{channel=\"template\",purpose=\"reminder\"}") == sentBefore + 1
          && sample(metrics, "whatsapp_messages_status_total{status=\"read\"}") >= 1
          && sample(metrics, "whatsapp_reminder_lateness_seconds_count") >= 1
          && metrics.contains("whatsapp_webhook_seconds_count{status=\"200\",webhook=\"status\"}")
          && metrics.contains("temporal_");
    });
  }

  @Test
  void givenOnlyText_itGoesFreeformInsideTheWindow_andFailsClearlyOutsideIt() {
    String inside = app.createUser("+447911210002");
    db.jdbi().useExtension(SessionDao.class, dao -> dao.recordInbound("+447911210002", Instant.now(),
        Instant.now().plus(Duration.ofHours(24))));
    JsonNode sent = app.post("/api/whatsapp/send?wait=true",
        "{\"user_id\":\"" + inside + "\",\"body\":\"Standup in 5 minutes\"}").json();
    assertThat(sent.get("channel").asText()).isEqualTo("freeform");
    assertThat(sent.get("status").asText()).isIn("SENT", "DELIVERED", "READ");

    String outside = app.createUser("+447911210003");
    JsonNode refused = app.post("/api/whatsapp/send?wait=true",
        "{\"user_id\":\"" + outside + "\",\"body\":\"Standup in 5 minutes\"}").json();
    assertThat(refused.get("status").asText()).isEqualTo("FAILED");
    assertThat(refused.get("last_error_code").asText()).isEqualTo("NO_TEMPLATE");
    assertThat(app.get("/sandbox/messages?to=%2B447911210003").json()).isEmpty();
  }

  @Test
  void givenNeitherTemplateNorText_itIsRefused() {
    String user = app.createUser("+447911210004");
    RunningApp.Reply reply = app.post("/api/whatsapp/send", "{\"user_id\":\"" + user + "\"}");
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("field").asText()).isEqualTo("template_name");
    assertThat(app.post("/api/whatsapp/send", "{\"user_id\":\"" + user + "\",\"body\":\"x\",\"variables\":{\"a\":\"b\"}}")
        .json().get("field").asText()).isEqualTo("variables");
  }

  @Test
  void givenRealTwilioWithoutTheTemplateSid_healthFailsOnceAPendingReminderNeedsIt() {
    try (TestDatabase other = TestDatabase.create();
        RunningApp real = new RunningApp(other,
            ConfigOverride.config("twilio.accountSid", "AC0123456789abcdef0123456789abcdef"),
            ConfigOverride.config("twilio.authToken", "0123456789abcdef0123456789abcdef"),
            ConfigOverride.config("twilio.whatsappFrom", "whatsapp:+14155238886")).start()) {
      HttpRequest.Builder health = HttpRequest.newBuilder(URI.create(real.admin() + "/healthcheck"));
      assertThat(real.send(health).json().get("templates").get("healthy").asBoolean()).isTrue();
      String user = real.createUser("+447911210005");
      real.post("/api/reminders", """
          {"user_id":"%s","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},
           "due_at":"%s"}""".formatted(user, Instant.now().plus(Duration.ofHours(1))));
      RunningApp.Reply unhealthy = real.send(health);
      assertThat(unhealthy.status()).isEqualTo(500);
      assertThat(unhealthy.json().get("templates").get("message").asText()).contains("WA_TEMPLATE_TASK_REMINDER");
      assertThat(unhealthy.json().get("twilio").get("healthy").asBoolean()).isTrue();
    }
  }

  /** The metric names a PromQL expression reads (label matchers, ranges, groupings and functions taken out). */
  static java.util.Set<String> metricNames(String expr) {
    String bare = expr.replaceAll("\\{[^}]*}", "").replaceAll("\\[[^]]*]", "")
        .replaceAll("\\b(by|without)\\s*\\([^)]*\\)", "");
    java.util.Set<String> names = new java.util.TreeSet<>();
    Matcher m = Pattern.compile("\\b([a-zA-Z_][a-zA-Z0-9_]*)\\b(?!\\s*\\()").matcher(bare);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void theGrafanaDashboardChartsOnlyMetricsTheServiceExposes_andCountersArePresentAtZero() throws Exception {
    String user = app.createUser("+447911210009");
    app.post("/api/whatsapp/send?wait=true", runbookBody(user));
    eventually(Duration.ofSeconds(15), "a status callback timed",
        () -> prometheus().contains("whatsapp_webhook_seconds_bucket"));
    String metrics = prometheus();
    JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        java.nio.file.Files.readString(projectFile("docs/grafana-dashboard.json")));
    java.util.Set<String> used = new java.util.TreeSet<>();
    dashboard.get("panels").forEach(panel -> panel.get("targets").forEach(t -> used.addAll(
        metricNames(t.get("expr").asText()))));
    assertThat(used).contains("whatsapp_messages_sent_total", "norns_reminders_final_total", "norns_sender_mps",
        "whatsapp_reminder_lateness_seconds_bucket",
        // Dropwizard's own (Jetty, the connection pool) and the Redis breaker's, on the same endpoint.
        "io_dropwizard_db_ManagedPooledDataSource_postgres_active",
        "org_eclipse_jetty_util_thread_QueuedThreadPool_dw_utilization", "resilience4j_circuitbreaker_state",
        "norns_reminder_workflows_to_start");
    for (String name : used) {
      assertThat(Pattern.compile("(?m)^" + Pattern.quote(name) + "[{ ]").matcher(metrics).find())
          .as(name + " in /prometheus").isTrue();
    }
    // Present before anything happened to them: a ratio or an increase has a series from the start.
    assertThat(metrics).contains("norns_reminders_final_total{channel=\"none\",status=\"CANCELLED\"}")
        .contains("whatsapp_twilio_errors_total{code=\"63016\"}")
        .contains("whatsapp_messages_sent_total{channel=\"freeform\",purpose=\"reply\"}")
        .contains("resilience4j_circuitbreaker_state{name=\"redis\",state=\"closed\"} 1.0")
        .containsPattern("(?m)^io_dropwizard_jetty_MutableServletContextHandler_requests_count [1-9]");
  }

  private static java.nio.file.Path projectFile(String name) {
    for (java.nio.file.Path dir = java.nio.file.Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (java.nio.file.Files.exists(dir.resolve(name))) {
        return dir.resolve(name);
      }
    }
    throw new IllegalStateException(name + " not found");
  }
}
