package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What an operator sees in the Temporal UI: the reminder's search attributes, described from outside the app. */
class SearchAttributesAppTest {
  private static TestDatabase db;
  private static RunningApp app;
  private static WorkflowClient client;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db).start();
    client = app.temporalClient();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  private static SearchAttributes attributes(String reminderId) {
    return client.newUntypedWorkflowStub(WorkflowIds.reminder(reminderId)).describe().getTypedSearchAttributes();
  }

  @Test
  void givenScheduledReminder_itsSearchAttributesAndMemoShowUserStatusDueTimeThenChannel() {
    String user = app.createUser(ReminderLifecycleAppTest.phone());
    Instant due = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
    String id = app.post("/api/reminders", ReminderLifecycleAppTest.reminder(user, due, "")).json()
        .get("reminder_id").asText();

    SearchAttributes scheduled = attributes(id);
    assertThat(scheduled.get(ReminderSearchAttributes.USER_ID)).isEqualTo(user);
    assertThat(scheduled.get(ReminderSearchAttributes.STATUS)).isEqualTo("SCHEDULED");
    assertThat(scheduled.get(ReminderSearchAttributes.DUE_AT).toInstant()).isEqualTo(due);
    assertThat(client.newUntypedWorkflowStub(WorkflowIds.reminder(id)).describe().getMemo("summary", String.class))
        .isEqualTo("task_reminder for " + user + " due " + due);
    // What the Temporal UI shows an operator above the workflow: who, what, when (in the user's zone).
    assertThat(client.newUntypedWorkflowStub(WorkflowIds.reminder(id)).describe().getStaticSummary())
        .startsWith("Reminder for Ada: \"Ship the release\", due ").endsWith(" UTC");

    eventually(Duration.ofSeconds(30), "READ in the search attributes", () ->
        "READ".equals(attributes(id).get(ReminderSearchAttributes.STATUS)));
    SearchAttributes read = attributes(id);
    assertThat(read.get(ReminderSearchAttributes.CHANNEL)).isEqualTo("template");
    assertThat(read.get(ReminderSearchAttributes.USER_ID)).isEqualTo(user);
    assertThat(app.get("/api/reminders/" + id).json().get("status").asText()).isEqualTo("READ");
  }
}
