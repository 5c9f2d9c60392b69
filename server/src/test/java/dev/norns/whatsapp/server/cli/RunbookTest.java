package dev.norns.whatsapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.server.app.RunningApp;
import dev.norns.whatsapp.server.testing.TestTemporal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Runs every command of docs/runbook.md against a running service, so the runbook cannot rot. */
class RunbookTest {
  private static final String JAR = "java -jar server/target/norns-whatsapp.jar ";
  private static final String PHONE = "+447911220001";
  @TempDir
  static Path tmp;
  private static TestDatabase db;
  private static RunningApp app;
  private static String config;
  private static Map<String, String> vars;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db).start();
    String user = app.createUser(PHONE);
    String reminder = app.post("/api/reminders", """
        {"user_id":"%s","template_name":"task_reminder","variables":{"task_name":"Runbook","due_time":"later"},
         "due_at":"%s"}""".formatted(user, Instant.now().plus(Duration.ofDays(1)))).json().get("reminder_id").asText();
    // A delivered message first, so the webhook and delivery metrics the runbook greps for exist.
    app.post("/api/whatsapp/send?wait=true", """
        {"user_id":"%s","template_name":"task_reminder","variables":{"task_name":"Warm-up","due_time":"now"}}"""
        .formatted(user));
    RunningApp.eventually(Duration.ofSeconds(15), "callbacks arrived", () ->
        app.get("/sandbox/messages?to=%2B447911220001").json().get(0).get("status").asText().equals("read"));
    config = CliHarness.config(tmp, CliHarness.settings(db.url(), db.user(), app.temporalAddress(), app.namespace())).toString();
    vars = Map.of("API", app.base(), "ADMIN", app.admin(), "NORNS_API_KEY", RunningApp.API_KEY, "USER_ID", user,
        "PHONE", PHONE, "REMINDER_ID", reminder, "TEMPORAL_UI", TestTemporal.shared().ui(),
        "TEMPORAL_NAMESPACE", app.namespace());
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  static Path runbook() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("docs/runbook.md"))) {
        return dir.resolve("docs/runbook.md");
      }
    }
    throw new IllegalStateException("docs/runbook.md not found");
  }

  /** The runnable lines of every ```sh block. */
  static List<String> commands() throws IOException {
    List<String> commands = new ArrayList<>();
    boolean inSh = false;
    for (String line : Files.readAllLines(runbook())) {
      String t = line.strip();
      if (t.startsWith("```")) {
        inSh = !inSh && t.equals("```sh");
        continue;
      }
      if (inSh && (t.startsWith("curl ") || t.startsWith(JAR))) {
        commands.add(t);
      }
    }
    return commands;
  }

  @Test
  void theRunbookCoversEveryProcedureOfTheOldOne() throws IOException {
    String text = Files.readString(runbook());
    assertThat(text).contains("## Health checks", "### Verify template configuration", "### Verify session tracking",
        "## Common operations", "### Send a test template message", "### Messages not being received",
        "### Template messages failing", "### Session window not tracking", "### User not found by phone",
        "## Restart procedures", "## Template management", "## Monitoring");
    assertThat(commands()).noneMatch(c -> c.contains("ssh ") || c.contains("psql ") || c.contains("docker exec"));
    assertThat(commands()).hasSizeGreaterThan(15).allSatisfy(c -> {
      if (c.startsWith("curl ")) {
        assertThat(c).as("curl must fail on HTTP errors").startsWith("curl -sf ");
      } else {
        assertThat(c).endsWith(" config.yml");
      }
    });
  }

  @TestFactory
  Stream<DynamicTest> everyCommandSucceeds() throws IOException {
    return commands().stream().map(command -> DynamicTest.dynamicTest(command, () -> {
      if (command.startsWith("curl ")) {
        shell(command);
      } else {
        List<String> args = words(command.substring(JAR.length()));
        args.set(args.size() - 1, config);
        CliHarness.Result result = CliHarness.run(args.toArray(String[]::new));
        assertThat(result.succeeded()).as(result.out() + result.err()).isTrue();
      }
    }));
  }

  private static void shell(String command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", "-o", "pipefail", "-c", command).redirectErrorStream(true);
    builder.environment().putAll(vars);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
  }

  /** Splits on spaces outside double quotes and expands $NAME. */
  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(text);
    while (m.find()) {
      String word = m.group(1) != null ? m.group(1) : m.group(2);
      for (Map.Entry<String, String> v : vars.entrySet()) {
        word = word.replace("$" + v.getKey(), v.getValue());
      }
      words.add(word);
    }
    return words;
  }
}
