package dev.norns.whatsapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.server.app.RunningApp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code send-test} against the running service (embedded Temporal, Twilio sandbox): the reminder really goes out. */
class CliSendTestAppTest {
  @TempDir
  static Path tmp;
  private static TestDatabase db;
  private static RunningApp app;
  private static String config;
  private static String user;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db).start();
    user = app.createUser("+14155550177");
    config = CliHarness.config(tmp, CliHarness.settings(db.url(), db.user(), app.temporalAddress(), app.namespace())).toString();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  @Test
  void givenTheRunningService_whenSendingATest_itShouldReachSentOrLater() {
    CliHarness.Result result = CliHarness.run("send-test", "--user", user, "--template", "task_reminder",
        "--var", "task_name=CLI test", "--var", "due_time=now", config);

    assertThat(result.succeeded()).as(result.out() + result.err()).isTrue();
    assertThat(result.out()).contains("reminder_id", "SCHEDULED", "following it for up to 30 s");
    String last = result.out().lines().filter(l -> l.matches("[0-9a-f-]{36} .*")).reduce((a, b) -> b).orElseThrow();
    assertThat(last).containsPattern(" (SENT|DELIVERED|READ) ").contains("template");
    String id = last.substring(0, 36);
    assertThat(app.get("/api/reminders/" + id).json().get("status").asText()).isIn("SENT", "DELIVERED", "READ");
  }

  @Test
  void givenAMissingVariable_whenSendingATest_itShouldPrintTheFieldAndFail() {
    CliHarness.Result result = CliHarness.run("send-test", "--user", user, "--template", "task_reminder",
        "--var", "task_name=CLI test", config);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.err()).contains("error: variables.due_time: missing");
  }

  @Test
  void givenTheRunningService_whenListingTemplatesOverHttp_itShouldAnswerBehindTheApiKey() {
    RunningApp.Reply list = app.get("/api/whatsapp/templates");
    RunningApp.Reply unknown = app.get("/api/whatsapp/templates/birthday");

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get(0).get("name").asText()).isEqualTo("task_reminder");
    assertThat(list.json().get(0).get("content_sid_env").asText()).isEqualTo("WA_TEMPLATE_TASK_REMINDER");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("field").asText()).isEqualTo("template_name");
  }
}
