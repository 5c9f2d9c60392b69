package dev.norns.whatsapp.activities.reminder;

import dev.norns.whatsapp.activities.db.Json;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** A user and a reminder row for send and ledger tests. */
final class SendFixture {
  private static final AtomicInteger NEXT_PHONE = new AtomicInteger(1000);

  private SendFixture() {}

  static UUID reminder(TestDatabase db) {
    UUID user = UUID.randomUUID();
    UUID reminder = UUID.randomUUID();
    db.jdbi().useExtension(UserDao.class, dao -> dao.insert(user, "Ada", null,
        "+1415555" + NEXT_PHONE.incrementAndGet(), "UTC"));
    db.jdbi().useExtension(ReminderDao.class, dao -> dao.insert(reminder, user, "task_reminder",
        Json.write(Map.of("task_name", "Ship", "due_time", "5pm")), null, Instant.now(), null, null, null, null, null, null, null, null));
    return reminder;
  }
}
