package dev.norns.whatsapp.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.db.MessageDao;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.reminder.DeliveryLedger;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.server.testing.TestTemporal;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A status callback the webhook accepted reaches the reminder, whatever happens to Temporal meanwhile: it waits in
 * PostgreSQL and is retried until delivered (here the workflow has closed, so the row takes the status).
 */
class StatusRelayTest {
  @Test
  void givenTemporalUnreachable_theCallbackWaitsInPostgres_andIsDeliveredOnceTemporalAnswers() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      UUID user = UUID.randomUUID();
      UUID reminder = UUID.randomUUID();
      db.jdbi().useExtension(UserDao.class, dao -> dao.insert(user, "Ada", null, "+14155550188", "UTC"));
      db.jdbi().useExtension(ReminderDao.class, dao -> dao.insert(reminder, user, "task_reminder", "{}", null,
          Instant.now(), null, null, null, null, null, null, null, null));
      db.jdbi().useExtension(ReminderDao.class, dao -> dao.recordState(reminder, "SENT", "DONE", Instant.now(),
          "template", "no window", "SMrelayed", 1, null, null, Instant.now(), Instant.now(), 1, 0, null, null));
      MessageDao messages = db.jdbi().onDemand(MessageDao.class);
      messages.claim(reminder, "send-1", "template", "+14155550188");
      messages.accepted(messages.findAttempt(reminder, "send-1").orElseThrow().id(), "SMrelayed", "queued");
      DeliveryLedger ledger = new DeliveryLedger(db.jdbi());
      assertThat(ledger.record("SMrelayed", null, null, DeliveryStatus.READ, null, null).orElseThrow().relayed())
          .isTrue();

      WorkflowServiceStubs down = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget("127.0.0.1:" + TestTemporal.freePort()).setRpcTimeout(Duration.ofSeconds(1)).build());
      StatusRelay failing = new StatusRelay(db.jdbi(), WorkflowClient.newInstance(down), ledger);
      assertThat(failing.relayBatch()).isEqualTo(1);
      assertThat(pending(db)).isEqualTo(1);
      assertThat(status(db, reminder)).isEqualTo("SENT");
      down.shutdownNow();

      db.jdbi().useHandle(h -> h.execute("UPDATE status_relay SET next_attempt_at = now()"));
      WorkflowServiceStubs up = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget(TestTemporal.shared().target()).build());
      StatusRelay working = new StatusRelay(db.jdbi(), WorkflowClient.newInstance(up,
          WorkflowClientOptions.newBuilder().setNamespace(TestTemporal.shared().newNamespace()).build()), ledger);
      assertThat(working.relayBatch()).isEqualTo(1);
      assertThat(pending(db)).isZero();
      assertThat(status(db, reminder)).isEqualTo("READ");
      up.shutdownNow();
    }
  }

  private static int pending(TestDatabase db) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM status_relay").mapTo(Integer.class).one());
  }

  private static String status(TestDatabase db, UUID reminder) {
    return db.jdbi().withExtension(ReminderDao.class, dao -> dao.find(reminder)).orElseThrow().status();
  }
}
