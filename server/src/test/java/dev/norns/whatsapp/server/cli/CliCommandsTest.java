package dev.norns.whatsapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.SessionDao;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator commands against a fresh database on the real PostgreSQL, through Dropwizard's command line. */
class CliCommandsTest {
  @TempDir
  static Path tmp;
  private static TestDatabase db;
  private static String config;
  private static final UUID USER = UUID.randomUUID();
  private static final UUID REMINDER = UUID.randomUUID();

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
    config = CliHarness.config(tmp, CliHarness.embeddedSettings(db.url(), db.user(), CliHarness.freePort())).toString();
    db.jdbi().useExtension(UserDao.class, dao -> dao.insert(USER, "Ada Lovelace", "ada@example.org", "+14155550123",
        "Europe/London"));
    Instant now = Instant.now();
    db.jdbi().useExtension(SessionDao.class,
        dao -> dao.recordInbound("+14155550123", now, now.plus(Duration.ofHours(24))));
    db.jdbi().useExtension(ReminderDao.class, dao -> dao.insert(REMINDER, USER, "task_reminder",
        "{\"task_name\":\"Ship\",\"due_time\":\"now\"}", null, now.plusSeconds(3600), null, null, null, null, null, null, null, null));
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void givenAUser_whenListingUsers_itShouldPrintTheirRow() {
    CliHarness.Result result = CliHarness.run("users", config);

    assertThat(result.succeeded()).as(result.err()).isTrue();
    assertThat(result.out()).contains("user_id", "display_name", "phone_number", "timezone");
    assertThat(result.out().lines().filter(l -> l.startsWith(USER.toString())).findFirst()).get().asString()
        .contains("Ada Lovelace", "ada@example.org", "+14155550123", "Europe/London");
  }

  @Test
  void givenAPhoneWithAnOpenWindow_whenCheckingItsSessionInAnotherFormat_itShouldBeInWindow() {
    CliHarness.Result result = CliHarness.run("session", "(415) 555-0123", config);

    assertThat(result.succeeded()).as(result.err()).isTrue();
    assertThat(result.out()).contains("phone_number", "status", "window_expires_at", "last_inbound_at", "source");
    assertThat(result.out()).contains("+14155550123").contains("IN_WINDOW").containsPattern("cache|database");
  }

  @Test
  void givenAPhoneThatNeverWrote_whenCheckingItsSession_itShouldBeOutsideTheWindow() {
    CliHarness.Result result = CliHarness.run("session", "+1 415 555 0124", config);

    assertThat(result.succeeded()).as(result.err()).isTrue();
    assertThat(result.out()).contains("+14155550124", "OUTSIDE_WINDOW", "database");
  }

  @Test
  void givenSomethingThatIsNotAPhone_whenCheckingASession_itShouldFailWithAMessage() {
    CliHarness.Result result = CliHarness.run("session", "not-a-phone", config);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.err()).contains("error: 'not-a-phone' is not a valid phone number");
    assertThat(result.out()).doesNotContain("OUTSIDE_WINDOW");
  }

  @Test
  void givenNoContentSid_whenListingTemplates_itShouldSayWhichVariableToSet() {
    CliHarness.Result result = CliHarness.run("templates", config);

    assertThat(result.succeeded()).as(result.err()).isTrue();
    assertThat(result.out()).contains("task_reminder", "MISSING (set WA_TEMPLATE_TASK_REMINDER)",
        "{{1}}=task_name, {{2}}=due_time", "UTILITY", "Reminder: {{task_name}} is due {{due_time}}.");
  }

  @Test
  void givenAMigratedDatabase_whenAskingDbStatus_itShouldListEachMigrationAsSuccess() {
    CliHarness.Result result = CliHarness.run("db", "status", config);

    assertThat(result.succeeded()).as(result.err()).isTrue();
    assertThat(result.out()).containsPattern("(?m)^1 +users and sessions +Success")
        .containsPattern("(?m)^2 +reminders and messages +Success")
        .containsPattern("(?m)^3 +sandbox messages +Success");
  }

  @Test
  void givenAMigratedDatabase_whenMigratingAgain_itShouldApplyNothing() {
    CliHarness.Result result = CliHarness.run("db", "migrate", config);

    assertThat(result.succeeded()).as(result.err()).isTrue();
    assertThat(result.out()).contains("0 migration(s) applied").contains("Success");
  }

  @Test
  void givenAnUnknownDbAction_itShouldFail() {
    assertThat(CliHarness.run("db", "drop", config).succeeded()).isFalse();
  }

  @Test
  void givenAUsersReminder_whenListingTheirReminders_itShouldPrintItsRow() {
    CliHarness.Result result = CliHarness.run("reminders", "--user", USER.toString(), config);
    CliHarness.Result sent = CliHarness.run("reminders", "--user", USER.toString(), "--status", "SENT", config);

    assertThat(result.succeeded()).as(result.err()).isTrue();
    assertThat(result.out()).contains("id", "status", "due_at", "channel", "message_sid", "last_error")
        .contains(REMINDER.toString()).contains("SCHEDULED");
    assertThat(sent.out()).doesNotContain(REMINDER.toString()).contains("(none)");
  }

  @Test
  void givenABadOrUnknownUserId_whenListingReminders_itShouldFailNamingTheField() {
    CliHarness.Result bad = CliHarness.run("reminders", "--user", "bob", config);
    CliHarness.Result unknown = CliHarness.run("reminders", "--user", UUID.randomUUID().toString(), config);

    assertThat(bad.succeeded()).isFalse();
    assertThat(bad.err()).contains("error: user_id: 'bob' is not a UUID");
    assertThat(unknown.succeeded()).isFalse();
    assertThat(unknown.err()).contains("error: user_id: no user");
  }

  @Test
  void givenNoTemporalServer_whenSendingATest_itShouldSayToStartTheServiceAndStoreNothing() {
    int before = storedReminders();

    CliHarness.Result result = CliHarness.run("send-test", "--user", USER.toString(), "--template", "task_reminder",
        "--var", "task_name=Ship", "--var", "due_time=now", config);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.err()).contains("error: no Temporal server on 127.0.0.1:")
        .contains("start the service first (java -jar");
    assertThat(storedReminders()).isEqualTo(before);
  }

  @Test
  void givenAVarWithoutEquals_whenSendingATest_itShouldFailNamingIt() {
    CliHarness.Result result = CliHarness.run("send-test", "--user", USER.toString(), "--template", "task_reminder",
        "--var", "task_name", config);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.err()).contains("error: --var 'task_name' is not NAME=VALUE");
  }

  private static int storedReminders() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM reminders").mapTo(Integer.class).one());
  }
}
