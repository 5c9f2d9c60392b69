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
      UUID reminder = sentReminder(db, "SMrelayed");
      DeliveryLedger ledger = new DeliveryLedger(db.jdbi());
      assertThat(ledger.record("SMrelayed", null, null, DeliveryStatus.READ, null, null).orElseThrow().relayed())
          .isTrue();

      WorkflowServiceStubs down = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget("127.0.0.1:" + TestTemporal.freePort()).setRpcTimeout(Duration.ofSeconds(1)).build());
      StatusRelay failing = new StatusRelay(db.jdbi(), WorkflowClient.newInstance(down), ledger, Duration.ZERO, 80);
      assertThat(failing.relayBatch()).isEqualTo(1);
      assertThat(pending(db)).isEqualTo(1);
      assertThat(status(db, reminder)).isEqualTo("SENT");
      down.shutdownNow();

      db.jdbi().useHandle(h -> h.execute("UPDATE status_relay SET next_attempt_at = now()"));
      WorkflowServiceStubs up = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget(TestTemporal.shared().target()).build());
      StatusRelay working = new StatusRelay(db.jdbi(), WorkflowClient.newInstance(up,
          WorkflowClientOptions.newBuilder().setNamespace(TestTemporal.shared().newNamespace()).build()), ledger,
          Duration.ZERO, 80);
      assertThat(working.relayBatch()).isEqualTo(1);
      assertThat(pending(db)).isZero();
      assertThat(status(db, reminder)).isEqualTo("READ");
      up.shutdownNow();
    }
  }

  @Test
  void givenSendsBehindTheirDueTime_theRelayWaitsUpToItsYield_thenRelaysWhatWaitedLonger() throws Exception {
    try (TestDatabase db = TestDatabase.create()) {
      UUID reminder = sentReminder(db, "SMyield");
      DeliveryLedger ledger = new DeliveryLedger(db.jdbi());
      assertThat(ledger.record("SMyield", null, null, DeliveryStatus.DELIVERED, null, null).orElseThrow().relayed())
          .isTrue();
      // Another reminder's send, due 5 s ago and taken by no dispatcher: the dispatchers are behind.
      db.jdbi().useHandle(h -> h.execute("INSERT INTO send_queue (reminder_id, attempt_key, due_at, message) "
          + "VALUES (?, 'send-1', now() - interval '5 seconds', '{}')", UUID.randomUUID()));
      WorkflowServiceStubs up = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget(TestTemporal.shared().target()).build());
      WorkflowClient client = WorkflowClient.newInstance(up,
          WorkflowClientOptions.newBuilder().setNamespace(TestTemporal.shared().newNamespace()).build());
      StatusRelay relay = new StatusRelay(db.jdbi(), client, ledger, Duration.ofSeconds(30), 80);

      assertThat(relay.relayBatch()).isZero();
      assertThat(status(db, reminder)).isEqualTo("SENT");

      // Waiting longer than the yield: relayed although the sends are still behind.
      db.jdbi().useHandle(h -> h.execute("UPDATE status_relay SET next_attempt_at = now() - interval '31 seconds'"));
      assertThat(relay.relayBatch()).isEqualTo(1);
      assertThat(status(db, reminder)).isEqualTo("DELIVERED");

      // Held by the sender's cap (this second has its 80 sends), the dispatchers leave the CPU idle: no yielding.
      assertThat(ledger.record("SMyield", null, null, DeliveryStatus.READ, null, null).orElseThrow().relayed())
          .isTrue();
      db.jdbi().useHandle(h -> h.execute("INSERT INTO send_rate (window_start, sends) "
          + "VALUES (date_trunc('second', clock_timestamp()), 80)"));
      assertThat(relay.relayBatch()).isEqualTo(1);
      assertThat(status(db, reminder)).isEqualTo("READ");
      db.jdbi().useHandle(h -> h.execute("DELETE FROM send_rate"));

      // Sends caught up (the queued one taken by a dispatcher): what is due goes at once.
      db.jdbi().useHandle(h -> h.execute("INSERT INTO status_relay (reminder_id, message_sid, status, "
          + "next_attempt_at) VALUES (?, 'SMyield', 'read', now())", reminder));
      assertThat(relay.relayBatch()).isZero();
      db.jdbi().useHandle(h -> h.execute("UPDATE send_queue SET taken_by = 'dispatcher-x', "
          + "lease_until = now() + interval '1 minute'"));
      assertThat(relay.relayBatch()).isEqualTo(1);
      assertThat(pending(db)).isZero();
      up.shutdownNow();
    }
  }

  /** A reminder whose workflow is gone, its message accepted by Twilio as {@code sid}. */
  private static UUID sentReminder(TestDatabase db, String sid) {
    UUID user = UUID.randomUUID();
    UUID reminder = UUID.randomUUID();
    db.jdbi().useExtension(UserDao.class, dao -> dao.insert(user, "Ada", null, "+14155550188", "UTC"));
    db.jdbi().useExtension(ReminderDao.class, dao -> dao.insert(reminder, user, "task_reminder", "{}", null,
        Instant.now(), null, null, null, null, null, null, null, null));
    db.jdbi().useExtension(ReminderDao.class, dao -> dao.recordState(reminder, "SENT", "DONE", Instant.now(),
        "template", "no window", sid, 1, null, null, Instant.now(), Instant.now(), 1, 0, null, null));
    MessageDao messages = db.jdbi().onDemand(MessageDao.class);
    messages.claim(reminder, "send-1", "template", "+14155550188");
    messages.accepted(messages.findAttempt(reminder, "send-1").orElseThrow().id(), sid, "queued");
    return reminder;
  }

  private static int pending(TestDatabase db) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM status_relay").mapTo(Integer.class).one());
  }

  private static String status(TestDatabase db, UUID reminder) {
    return db.jdbi().withExtension(ReminderDao.class, dao -> dao.find(reminder)).orElseThrow().status();
  }
}
