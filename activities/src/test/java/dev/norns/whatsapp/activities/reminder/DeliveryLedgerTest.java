package dev.norns.whatsapp.activities.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.db.MessageDao;
import dev.norns.whatsapp.activities.db.MessageRow;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {
  private static TestDatabase db;
  private DeliveryLedger ledger;
  private UUID reminder;
  private final String sid = "SM" + UUID.randomUUID().toString().replace("-", "");

  @BeforeAll
  static void createDatabase() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  @BeforeEach
  void sentMessage() {
    ledger = new DeliveryLedger(db.jdbi());
    reminder = SendFixture.reminder(db);
    MessageDao dao = db.jdbi().onDemand(MessageDao.class);
    dao.claim(reminder, "send-1", "template", "+14155550123");
    dao.accepted(dao.findAttempt(reminder, "send-1").orElseThrow().id(), sid, "queued");
  }

  private MessageRow row() {
    return db.jdbi().withExtension(MessageDao.class, dao -> dao.findAttempt(reminder, "send-1")).orElseThrow();
  }

  @Test
  void givenCallbacksOutOfOrderAndDuplicated_itKeepsTheMaximumAndEachStatusOnceInTheHistory() {
    ledger.record(sid, null, null, DeliveryStatus.DELIVERED, null, null);
    ledger.record(sid, null, null, DeliveryStatus.SENT, null, null);
    ledger.record(sid, null, null, DeliveryStatus.DELIVERED, null, null);
    DeliveryLedger.Recorded read = ledger.record(sid, null, null, DeliveryStatus.READ, null, null).orElseThrow();
    DeliveryLedger.Recorded late = ledger.record(sid, null, null, DeliveryStatus.SENT, null, null).orElseThrow();

    assertThat(read.changed()).isTrue();
    assertThat(late.changed()).isFalse();
    assertThat(late.status()).isEqualTo(DeliveryStatus.READ);
    assertThat(late.reminderId()).isEqualTo(reminder);
    assertThat(row().status()).isEqualTo("read");
    assertThat(row().statusHistory()).containsOnlyOnce("\"delivered\"").containsOnlyOnce("\"sent\"");
  }

  @Test
  void givenCallbacksForOneMessageAtTheSameTime_eachAppliesToTheLatestStatus() throws Exception {
    // Twilio posts a message's callbacks close together, and each may be answered by another thread (or instance):
    // however they interleave, the message ends at the maximum, its history holds each status once, and the read
    // receipt is queued for the workflow exactly once.
    MessageDao dao = db.jdbi().onDemand(MessageDao.class);
    List<String> sids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      dao.claim(reminder, "race-" + i, "template", "+14155550123");
      sids.add("SMrace" + i + "x" + UUID.randomUUID().toString().replace("-", ""));
      dao.accepted(dao.findAttempt(reminder, "race-" + i).orElseThrow().id(), sids.get(i), "queued");
    }
    List<DeliveryStatus> callbacks = List.of(DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ,
        DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ);
    ExecutorService pool = Executors.newFixedThreadPool(callbacks.size());
    try {
      for (String messageSid : sids) {
        CyclicBarrier together = new CyclicBarrier(callbacks.size());
        List<Future<?>> posted = new ArrayList<>();
        for (DeliveryStatus status : callbacks) {
          posted.add(pool.submit(() -> {
            together.await();
            return ledger.record(messageSid, null, null, status, null, null);
          }));
        }
        for (Future<?> callback : posted) {
          callback.get(30, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < sids.size(); i++) {
      MessageRow message = dao.findAttempt(reminder, "race-" + i).orElseThrow();
      assertThat(message.status()).as(sids.get(i)).isEqualTo("read");
      assertThat(message.statusHistory()).as(sids.get(i)).containsOnlyOnce("\"sent\"")
          .containsOnlyOnce("\"delivered\"").containsOnlyOnce("\"read\"");
      String readSid = sids.get(i);
      int readRelayed = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT count(*) FROM status_relay WHERE message_sid = :sid AND status = 'read'")
          .bind("sid", readSid).mapTo(Integer.class).one());
      assertThat(readRelayed).as(readSid).isEqualTo(1);
    }
  }

  @Test
  void givenFailedThenDelivered_failedStays() {
    ledger.record(sid, null, null, DeliveryStatus.FAILED, "63024", "invalid recipient");
    ledger.record(sid, null, null, DeliveryStatus.DELIVERED, null, null);
    assertThat(row().status()).isEqualTo("failed");
    assertThat(row().errorCode()).isEqualTo("63024");
  }

  @Test
  void givenUnknownSid_itRecordsNothing() {
    assertThat(ledger.record("SMnotours", null, null, DeliveryStatus.SENT, null, null)).isEmpty();
    assertThat(ledger.record("SMnotours", "not-a-uuid", "send-1", DeliveryStatus.SENT, null, null)).isEmpty();
  }

  @Test
  void givenAMadeUpSidForAnAttemptThatNeverReachedTwilio_nothingChanges() {
    MessageDao dao = db.jdbi().onDemand(MessageDao.class);
    dao.claim(reminder, "send-9", "template", "+14155550123");
    MessageRow claimed = dao.findAttempt(reminder, "send-9").orElseThrow();
    dao.refused(claimed.id(), MessageRow.RETRY, "503", "Twilio answered 503");
    assertThat(ledger.record("SMforged", reminder.toString(), "send-9", DeliveryStatus.DELIVERED, null, null))
        .isEmpty();
    assertThat(dao.findAttempt(reminder, "send-9").orElseThrow().sid()).isNull();
    assertThat(relayed("SMforged")).isZero();
  }

  @Test
  void givenStatusesTheWorkflowActsOn_theyAreQueuedForItInTheSameTransaction() {
    MessageDao dao = db.jdbi().onDemand(MessageDao.class);
    dao.claim(reminder, "send-2", "template", "+14155550123");
    dao.accepted(dao.findAttempt(reminder, "send-2").orElseThrow().id(), "SMrelay", "queued");
    assertThat(ledger.record("SMrelay", null, null, DeliveryStatus.SENT, null, null).orElseThrow().relayed()).isFalse();
    assertThat(ledger.record("SMrelay", null, null, DeliveryStatus.DELIVERED, null, null).orElseThrow().relayed())
        .isTrue();
    assertThat(ledger.record("SMrelay", null, null, DeliveryStatus.DELIVERED, null, null).orElseThrow().relayed())
        .isFalse();
    assertThat(relayed("SMrelay")).isEqualTo(1);
  }

  private int relayed(String sid) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM status_relay WHERE message_sid = :sid")
        .bind("sid", sid).mapTo(Integer.class).one());
  }

  @Test
  void givenCallbackBeforeTheSidWasStored_itFindsTheMessageByReminderAndAttempt() {
    MessageDao dao = db.jdbi().onDemand(MessageDao.class);
    dao.claim(reminder, "fallback-1", "template", "+14155550123");
    ledger.record("SMearly", reminder.toString(), "fallback-1", DeliveryStatus.SENT, null, null).orElseThrow();
    assertThat(dao.findAttempt(reminder, "fallback-1").orElseThrow().sid()).isEqualTo("SMearly");
  }

  @Test
  void givenReadAfterTheWorkflowClosedAsUnconfirmed_theReminderAdvancesToRead() {
    db.jdbi().useExtension(ReminderDao.class, dao -> dao.recordState(reminder, "UNCONFIRMED", "DONE",
        java.time.Instant.now(), "template", "outside", sid, 1, "NO_CALLBACK", "none", java.time.Instant.now(),
        java.time.Instant.now(), 1, 0, null, null));
    ledger.advanceClosedReminder(reminder, DeliveryStatus.READ, null, null);
    ledger.advanceClosedReminder(reminder, DeliveryStatus.FAILED, "30008", "unknown");
    assertThat(db.jdbi().withExtension(ReminderDao.class, dao -> dao.find(reminder)).orElseThrow().status())
        .isEqualTo("READ");
  }
}
