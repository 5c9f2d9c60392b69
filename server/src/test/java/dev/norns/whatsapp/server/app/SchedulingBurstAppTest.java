package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.WorkflowIds;
import io.dropwizard.testing.ConfigOverride;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scheduling that does not wait for Temporal: with no inline starts every request only stores its reminder, and the
 * workflow starter starts the workflows, soonest due first. Each request is answered 201 at once; every reminder gets
 * its workflow (an operator finds it in the Temporal UI); a command to one whose workflow is not started yet reaches
 * it all the same.
 */
class SchedulingBurstAppTest {
  private static TestDatabase db;
  private static RunningApp app;
  private static WorkflowClient client;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db, ConfigOverride.config("reminders.inlineStarts", "0")).start();
    client = app.temporalClient();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  @Test
  void givenFortyRemindersFromSixteenClientsAtOnce_eachIsAnswered201_eachGetsItsWorkflow_andACancelReachesOneAtOnce()
      throws Exception {
    String user = app.createUser(ReminderLifecycleAppTest.phone());
    Instant due = Instant.now().plus(Duration.ofHours(2));
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<RunningApp.Reply>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        Instant when = due.plusSeconds(i);
        answers.add(clients.submit(() -> app.post("/api/reminders", ReminderLifecycleAppTest.reminder(user, when,
            ""))));
      }
      List<String> ids = new ArrayList<>();
      for (Future<RunningApp.Reply> answer : answers) {
        RunningApp.Reply reply = answer.get();
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        assertThat(reply.json().get("status").asText()).isEqualTo("SCHEDULED");
        ids.add(reply.json().get("reminder_id").asText());
      }
      // Cancelled the moment it was stored: its workflow is started first, then cancelled through its update.
      String last = ids.get(ids.size() - 1);
      RunningApp.Reply cancelled = app.delete("/api/reminders/" + last);
      assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
      assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");

      // Each started by the starter names its user in the Temporal UI, as one started by its request does.
      eventually(Duration.ofSeconds(60), "every reminder has its workflow", () -> ids.stream().allMatch(id -> {
        try {
          WorkflowExecutionDescription workflow = client.newUntypedWorkflowStub(WorkflowIds.reminder(id)).describe();
          return workflow.getTypedSearchAttributes().get(ReminderSearchAttributes.USER_ID).equals(user)
              && workflow.getStaticSummary().startsWith("Reminder for Ada: ");
        } catch (RuntimeException notYet) {
          return false;
        }
      }));
      eventually(Duration.ofSeconds(10), "nothing left to start", () -> app.send(HttpRequest.newBuilder(
          URI.create(app.admin() + "/prometheus")).header("X-API-Key", RunningApp.API_KEY)).body()
          .contains("norns_reminder_workflows_to_start 0.0"));
      assertThat(app.get("/api/reminders/" + last).json().get("status").asText()).isEqualTo("CANCELLED");
      assertThat(app.get("/api/reminders/" + ids.get(0)).json().get("source").asText()).isEqualTo("workflow");
    } finally {
      clients.shutdownNow();
    }
  }
}
