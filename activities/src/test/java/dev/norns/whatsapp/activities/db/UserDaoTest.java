package dev.norns.whatsapp.activities.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The users of many ids in one query, as the workflow starter reads a batch's users. */
class UserDaoTest {

  @Test
  void findAllReturnsTheUsersThatExist_andNothingForAnUnknownId() {
    try (TestDatabase db = TestDatabase.create()) {
      UUID ada = UUID.randomUUID();
      UUID grace = UUID.randomUUID();
      UUID alan = UUID.randomUUID();
      db.jdbi().useExtension(UserDao.class, dao -> {
        dao.insert(ada, "Ada", null, null, "UTC");
        dao.insert(grace, "Grace", null, null, "Europe/London");
        dao.insert(alan, "Alan", null, null, "UTC");
      });

      List<UserRow> found = db.jdbi().withExtension(UserDao.class,
          dao -> dao.findAll(new UUID[] {ada, grace, UUID.randomUUID()}));

      assertThat(found).extracting(UserRow::id, UserRow::displayName, UserRow::timezone)
          .containsExactlyInAnyOrder(tuple(ada, "Ada", "UTC"), tuple(grace, "Grace", "Europe/London"));
    }
  }
}
