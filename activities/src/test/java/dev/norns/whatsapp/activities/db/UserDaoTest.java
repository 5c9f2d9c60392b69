package dev.norns.whatsapp.activities.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The users of many ids in one query, as the workflow starter reads a batch's users. */
class UserDaoTest {
  private static TestDatabase db;

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void findAllReturnsTheUsersThatExist_andNothingForAnUnknownId() {
    UUID ada = UUID.randomUUID();
    UUID grace = UUID.randomUUID();
    UUID alan = UUID.randomUUID();
    db.jdbi().useExtension(UserDao.class, dao -> {
      dao.insert(ada, "Ada", null, null, "UTC");
      dao.insert(grace, "Grace", null, null, "Europe/London");
      dao.insert(alan, "Alan", null, null, "UTC");
    });

    var found = db.jdbi().withExtension(UserDao.class,
        dao -> dao.findAll(new UUID[] {ada, grace, UUID.randomUUID()}));

    assertThat(found).extracting(UserRow::id, UserRow::displayName, UserRow::timezone)
        .containsExactlyInAnyOrder(tuple(ada, "Ada", "UTC"),
            tuple(grace, "Grace", "Europe/London"));
  }
}
