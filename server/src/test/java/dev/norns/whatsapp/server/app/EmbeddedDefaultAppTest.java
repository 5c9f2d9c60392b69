package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.norns.whatsapp.server.testing.ChildService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default as a user runs it, in a process of its own: the service starts the Temporal dev server (Web UI
 * included) and PostgreSQL itself, keeps workflows across a {@code kill -9}, and starts again the first time.
 */
class EmbeddedDefaultAppTest {
  private static final Duration START = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  private static String reminder(String user, Instant due, String extra) {
    return ("{\"user_id\":\"%s\",\"template_name\":\"task_reminder\",\"variables\":{\"task_name\":\"Ship the release\","
        + "\"due_time\":\"today 17:00\"},\"due_at\":\"%s\"%s}").formatted(user, due, extra);
  }

  private static JsonNode json(String body) throws java.io.IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
  }

  private static int sent(ChildService service, String phone) {
    return service.get("/sandbox/messages?to=" + phone.replace("+", "%2B")).size();
  }

  private static JsonNode uiList(ChildService service, String query) {
    return service.get(service.ui() + "/api/v1/namespaces/default/workflows?query="
        + URLEncoder.encode(query, StandardCharsets.UTF_8));
  }

  @Test
  void givenAReminderAwaitingAReply_afterKill9TheServiceStartsFirstTime_theNudgeComes_andDoneAcknowledges() {
    String phone = "+14155550142";
    try (ChildService service = new ChildService(dir, Map.of()).start(START)) {
      String user = service.post("/api/users", "{\"display_name\":\"Ada\",\"phone_number\":\"" + phone
        + "\",\"quiet_hours\":{\"enabled\":false}}")
          .get("user_id").asText();
      String waiting = service.post("/api/reminders", reminder(user, Instant.now().plusSeconds(2),
          ",\"nudge\":{\"every\":\"PT1M\",\"max\":1}")).get("reminder_id").asText();
      String later = service.post("/api/reminders", reminder(user, Instant.now().plus(Duration.ofDays(1)), ""))
          .get("reminder_id").asText();
      eventually(Duration.ofSeconds(30), "first send read", () ->
          service.get("/api/reminders/" + waiting).get("status").asText().equals("READ"));

      // The operator's view: the Temporal UI's own HTTP API lists the user's scheduled reminder by search attribute.
      eventually(Duration.ofSeconds(15), "listed in the UI", () -> uiList(service,
          "UserId='" + user + "' AND ReminderStatus='SCHEDULED'").path("executions").size() == 1);
      JsonNode scheduled = uiList(service, "UserId='" + user + "' AND ReminderStatus='SCHEDULED'").get("executions");
      assertThat(scheduled.get(0).get("execution").get("workflowId").asText()).isEqualTo("reminder:" + later);
      assertThat(sent(service, phone)).isEqualTo(1);

      service.kill9();
      service.start(START);

      eventually(Duration.ofSeconds(90), "the nudge after the restart", () -> sent(service, phone) == 2);
      service.post("/sandbox/inbound", "{\"from\":\"whatsapp:" + phone + "\",\"body\":\"done\"}");
      eventually(Duration.ofSeconds(30), "acknowledged after the restart", () ->
          service.get("/api/reminders/" + waiting).get("status").asText().equals("ACKNOWLEDGED"));
      assertThat(service.get("/api/reminders/" + later).get("status").asText()).isEqualTo("SCHEDULED");
      assertThat(uiList(service, "WorkflowId='reminder:" + later + "'").get("executions").get(0).get("status")
          .asText()).isEqualTo("WORKFLOW_EXECUTION_STATUS_RUNNING");
    }
  }

  @Test
  void givenTemporalsDataFileDeleted_reconcileRestartsEveryOpenReminderWhereItStood_andSendsNothingTwice()
      throws Exception {
    String phone = "+14155550143";
    String user;
    String waiting;
    String later;
    String series;
    try (ChildService service = new ChildService(dir, Map.of()).start(START)) {
      user = service.post("/api/users", "{\"display_name\":\"Ada\",\"phone_number\":\"" + phone
        + "\",\"quiet_hours\":{\"enabled\":false}}")
          .get("user_id").asText();
      waiting = service.post("/api/reminders", reminder(user, Instant.now(),
          ",\"nudge\":{\"every\":\"PT1M\",\"max\":1}")).get("reminder_id").asText();
      later = service.post("/api/reminders", reminder(user, Instant.now().plusSeconds(40), ""))
          .get("reminder_id").asText();
      series = service.post("/api/reminders", "{\"user_id\":\"" + user + "\",\"template_name\":\"task_reminder\","
          + "\"variables\":{\"task_name\":\"Plants\",\"due_time\":\"9\"},"
          + "\"recurrence\":\"FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0\"}").get("series_id").asText();
      eventually(Duration.ofSeconds(30), "first send read", () ->
          service.get("/api/reminders/" + waiting).get("status").asText().equals("READ"));
      assertThat(sent(service, phone)).isEqualTo(1);
    }
    Files.delete(dir.resolve("temporal/temporal.db"));

    try (ChildService service = new ChildService(dir, Map.of()).set("RECONCILE_AT_START", "true").start(START)) {
      eventually(Duration.ofSeconds(60), "the scheduled one sent once, the nudge once", () ->
          service.get("/api/reminders/" + later).get("status").asText().equals("READ") && sent(service, phone) == 3);
      // The two reminders and the series' coming occurrence.
      assertThat(uiList(service, "UserId='" + user + "'").get("executions").size()).isEqualTo(3);
      service.post("/sandbox/inbound", "{\"from\":\"whatsapp:" + phone + "\",\"body\":\"done\","
          + "\"replied_to_sid\":\"" + service.get("/api/reminders/" + waiting).get("message_sid").asText() + "\"}");
      eventually(Duration.ofSeconds(30), "acknowledged", () ->
          service.get("/api/reminders/" + waiting).get("status").asText().equals("ACKNOWLEDGED"));
      Thread.sleep(3000);
      // 1 first send + 1 nudge (max 1, counted across the loss) + the later reminder + the "✅ Done" reply.
      assertThat(sent(service, phone)).isEqualTo(4);
      // The weekly series' workflow was started again too: its commands reach it.
      assertThat(service.send("POST", "/api/series/" + series + "/pause", "").status()).isEqualTo(200);
    }
  }

  @Test
  void givenTheTemporalServerFrozen_aReminderIsStillAcceptedIntoPostgres_andItsWorkflowStartsOnceTemporalIsBack()
      throws Exception {
    try (ChildService service = new ChildService(dir, Map.of()).start(START)) {
      String user = service.post("/api/users", "{\"display_name\":\"Ada\",\"phone_number\":\"+14155550144\","
          + "\"quiet_hours\":{\"enabled\":false}}")
          .get("user_id").asText();
      String kept = service.post("/api/reminders", reminder(user, Instant.now().plus(Duration.ofHours(1)), ""))
          .get("reminder_id").asText();
      String waiting;
      String second;
      long pid = Long.parseLong(Files.readString(dir.resolve("temporal/temporal.pid")).strip());
      new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
      try {
        long started = System.nanoTime();
        ChildService.Reply accepted = service.send("POST", "/api/reminders",
            reminder(user, Instant.now().plus(Duration.ofHours(2)), ""));
        long seconds = (System.nanoTime() - started) / 1_000_000_000;
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        assertThat(seconds).as("answered within").isLessThan(10);
        waiting = json(accepted.body()).get("reminder_id").asText();
        // Temporal just refused a start: the next request does not wait for it at all.
        started = System.nanoTime();
        ChildService.Reply next = service.send("POST", "/api/reminders",
            reminder(user, Instant.now().plus(Duration.ofHours(3)), ""));
        assertThat(next.status()).isEqualTo(201);
        second = json(next.body()).get("reminder_id").asText();
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms, Temporal not asked").isLessThan(2000);
        ChildService.Reply read = service.send("GET", "/api/reminders/" + kept, null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).contains("\"source\":\"database\"");
        assertThat(service.get("/api/reminders?user_id=" + user).get("reminders").size()).isEqualTo(3);
      } finally {
        new ProcessBuilder("kill", "-CONT", Long.toString(pid)).start().waitFor();
      }
      // The workflow starter started both once Temporal answered: they show the workflow's live state.
      String first = waiting;
      String then = second;
      eventually(Duration.ofSeconds(40), "workflows started", () -> List.of(first, then).stream().allMatch(id ->
          service.get("/api/reminders/" + id).get("source").asText().equals("workflow")));
      assertThat(service.send("DELETE", "/api/reminders/" + first, null).body())
          .contains("\"status\":\"CANCELLED\"");
    }
  }

  @Test
  void givenWarmUp_theHealthCheckSaysWarmingUpUntilItsHotCodeIsCompiled_andNothingIsStoredSpooledOrLogged()
      throws Exception {
    ChildService service = new ChildService(dir, Map.of()).set("WARM_UP", "true");
    java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread watcher = new Thread(() -> {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      while (!Thread.currentThread().isInterrupted()) {
        try {
          String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(service.admin()
              + "/healthcheck")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
          java.util.regex.Matcher warming = java.util.regex.Pattern.compile("warming up: \\d+ of 1500").matcher(body);
          if (warming.find()) {
            seen.add(warming.group());
          }
          Thread.sleep(100);
        } catch (java.io.IOException notYet) {
          // not listening yet
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    try (service) {
      watcher.start();
      service.start(START);
      watcher.interrupt();
      assertThat(seen).as("unhealthy, saying how far it got, while warming up").isNotEmpty();
      List<String> lines = Files.readAllLines(dir.resolve("service.log"));
      // All its rounds, or as many as its time allowed (a slow machine); its webhooks processed too.
      assertThat(lines).anyMatch(line -> line.matches(
          ".*warm-up: warm: \\d+ rounds of calls to itself \\([1-9]\\d* webhooks processed\\) in .*"));
      // Reported unhealthy while it ran (the service turned green only after it).
      assertThat(service.tail()).doesNotContain("warm-up cut short");
      JsonNode health = service.get(service.admin() + "/healthcheck");
      assertThat(health.get("warm-up").get("healthy").asBoolean()).isTrue();
      assertThat(health.get("warm-up").get("message").asText()).startsWith("warm: ");
      // Its calls were not anybody's requests: not stored, not spooled, not in the request log or the metrics. Its
      // webhooks were processed (recorded, settled) in transactions that were rolled back: no session window.
      assertThat(service.get("/api/users").get("users")).isEmpty();
      assertThat(service.get("/api/reminders").get("reminders")).isEmpty();
      JsonNode session = service.get("/api/whatsapp/session/+14155550001");
      assertThat(session.get("status").asText()).isEqualTo("OUTSIDE_WINDOW");
      assertThat(session.get("last_inbound_at").isNull()).as("never written in: " + session).isTrue();
      try (var spooled = Files.list(dir.resolve("spool"))) {
        assertThat(spooled.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".seg"));
      }
      assertThat(lines).filteredOn(line -> line.contains("http.request"))
          .noneMatch(line -> line.contains("/whatsapp/webhook") || line.contains("/api/reminders"));
      assertThat(lines).noneMatch(line -> line.contains("SMwarmup") || line.contains("resolve_user"));
      String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(service.admin() + "/prometheus")).header("X-API-Key", ChildService.API_KEY).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("whatsapp_messages_sent_total").doesNotContain("webhook=\"inbound\"")
          .contains("whatsapp_inbound_messages_total{kind=\"UNKNOWN_SENDER\"} 0.0");
    }
  }

  @Test
  void givenAnOrderlyStop_theTemporalServerAndPostgresStopWithIt_quietlyAndInOrder() throws Exception {
    ChildService service = new ChildService(dir, Map.of()).start(START);
    long temporal = Long.parseLong(Files.readString(dir.resolve("temporal/temporal.pid")).strip());
    long postgres = Long.parseLong(Files.readAllLines(dir.resolve("postgres/postmaster.pid")).get(0).strip());
    service.stop();
    for (long pid : new long[] {temporal, postgres}) {
      // Stopped by the service before it exited (a process it stopped may take a moment to be reaped).
      ProcessHandle.of(pid).ifPresent(p -> p.onExit().completeOnTimeout(p, 5, java.util.concurrent.TimeUnit.SECONDS)
          .join());
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("pid " + pid).isNotEqualTo(
          java.util.Optional.of(true));
    }
    // Quiet and in order: said in a few lines, without a warning, an error or a stack trace.
    List<String> lines = Files.readAllLines(dir.resolve("service.log"));
    List<String> afterStop = lines.subList(lines.indexOf(lines.stream().filter(l -> l.contains(
        "norns-whatsapp stopping")).findFirst().orElseThrow()), lines.size());
    assertThat(afterStop).noneMatch(line -> line.startsWith("WARN") || line.startsWith("ERROR")
        || line.startsWith("!"));
    assertThat(afterStop.get(afterStop.size() - 1)).contains("norns-whatsapp stopped in");
    assertThat(afterStop).anyMatch(line -> line.contains("embedded Temporal server stopped"));
    assertThat(afterStop.get(afterStop.size() - 2)).contains("embedded PostgreSQL stopped");
  }

  @Test
  void givenLogFormatJson_everyServiceLineIsJson_numbersAreMasked_andASendsLinesNameItsReminder() throws Exception {
    String phone = "+14155550177";
    String id;
    try (ChildService service = new ChildService(dir, Map.of("LOG_FORMAT", "json")).start(START)) {
      String user = service.post("/api/users", "{\"display_name\":\"Ada\",\"phone_number\":\"" + phone
          + "\",\"quiet_hours\":{\"enabled\":false}}").get("user_id").asText();
      id = service.post("/api/reminders", reminder(user, Instant.now(), "")).get("reminder_id").asText();
      service.get("/api/whatsapp/session/" + phone.replace("+", "%2B"));
      // Past the send's own log line: the workflow has the outcome.
      eventually(Duration.ofSeconds(30), "sent and recorded", () -> sent(service, phone) == 1 && service.get(
          "/api/reminders/" + id).get("status").asText().matches("SENT|DELIVERED|READ"));
    }
    List<String> lines = Files.readAllLines(dir.resolve("service.log"));
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<JsonNode> events = new java.util.ArrayList<>();
    for (String line : lines) {
      assertThat(line).as("no text-layout line").doesNotMatch("^(INFO|WARN|ERROR|DEBUG) +\\[.*");
      if (line.startsWith("{")) {
        events.add(json.readTree(line));
      }
    }
    assertThat(events).hasSizeGreaterThan(10);
    assertThat(String.join("\n", lines)).doesNotContain("14155550177").doesNotContain("4155550177");
    assertThat(events).anySatisfy(event -> {
      assertThat(event.path("logger").asText()).isEqualTo("http.request");
      assertThat(event.path("message").asText()).contains("/api/whatsapp/session/***0177");
    });
    assertThat(events).anySatisfy(event -> {
      assertThat(event.path("message").asText()).startsWith("whatsapp send reminder=" + id);
      assertThat(event.path("mdc").path("reminder_id").asText()).isEqualTo(id);
    });
  }
}
