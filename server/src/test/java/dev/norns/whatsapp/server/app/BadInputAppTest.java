package dev.norns.whatsapp.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input is a 4xx naming the field, and nothing is stored or scheduled. */
class BadInputAppTest {
  private static TestDatabase db;
  private static RunningApp app;
  private static String user;
  private static String userWithoutPhone;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
    app = new RunningApp(db).start();
    user = app.createUser("+14155550199");
    userWithoutPhone = app.post("/api/users", "{\"display_name\":\"No Phone\"}").json().get("user_id").asText();
  }

  @AfterAll
  static void stop() {
    app.close();
    db.close();
  }

  private static int storedReminders() {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM reminders").mapTo(Integer.class).one());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      malformed JSON           | 400 | {"user_id":                                                                   |
      wrong JSON type          | 422 | {"user_id":"U","template_name":"task_reminder","variables":[1],"due_at":"2030-01-01T00:00:00Z"} | variables
      misspelt field           | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"dueAt":"2030-01-01T00:00:00Z"} | dueAt
      unknown field            | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"due_at":"2030-01-01T00:00:00Z","repeat":"daily"} | repeat
      bad recurrence           | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"recurrence":"every monday"} | recurrence
      recurrence too often     | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"recurrence":"FREQ=MINUTELY"} | recurrence
      bad quiet_hours          | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"due_at":"2030-01-01T00:00:00Z","quiet_hours":"never"} | quiet_hours
      variable with a tab      | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a\\tb","due_time":"b"},"due_at":"2030-01-01T00:00:00Z"} | variables.task_name
      missing user             | 422 | {"template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"due_at":"2030-01-01T00:00:00Z"} | user_id
      user id not a UUID       | 422 | {"user_id":"bob","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"due_at":"2030-01-01T00:00:00Z"} | user_id
      unknown user             | 422 | {"user_id":"00000000-0000-0000-0000-000000000000","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"due_at":"2030-01-01T00:00:00Z"} | user_id
      user without phone       | 422 | {"user_id":"NOPHONE","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"due_at":"2030-01-01T00:00:00Z"} | user_id
      unknown template         | 404 | {"user_id":"U","template_name":"birthday","variables":{"task_name":"a","due_time":"b"},"due_at":"2030-01-01T00:00:00Z"} | template_name
      missing variable         | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a"},"due_at":"2030-01-01T00:00:00Z"} | variables.due_time
      extra variable           | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b","colour":"red"},"due_at":"2030-01-01T00:00:00Z"} | variables.colour
      bad date                 | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"due_at":"tomorrow"} | due_at
      date without offset      | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"},"due_at":"2030-01-01T09:00:00"} | due_at
      missing date             | 422 | {"user_id":"U","template_name":"task_reminder","variables":{"task_name":"a","due_time":"b"}} | due_at
      """)
  void givenBadReminderRequest_itIsRefusedNamingTheFieldAndNothingIsStored(String what, int status, String body,
      String field) {
    int before = storedReminders();
    RunningApp.Reply reply = app.post("/api/reminders", body.replace("\"U\"", "\"" + user + "\"")
        .replace("NOPHONE", userWithoutPhone));
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().get("error").asText()).isNotBlank();
    if (field != null) {
      assertThat(reply.json().get("field").asText()).isEqualTo(field);
    }
    assertThat(storedReminders()).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      blank body               | {"user_id":"U","body":"   ","due_at":"2030-01-01T00:00:00Z"}                                        | body         | body is blank
      nudge too often          | {"user_id":"U","body":"hi","due_at":"2030-01-01T00:00:00Z","nudge":{"every":"PT10S","max":3}}    | nudge.every  | between PT1M and P7D
      nudge not a duration     | {"user_id":"U","body":"hi","due_at":"2030-01-01T00:00:00Z","nudge":{"every":"often","max":3}}    | nudge.every  | 'often'
      nudge without max        | {"user_id":"U","body":"hi","due_at":"2030-01-01T00:00:00Z","nudge":{"every":"PT30M"}}            | nudge.max    | nudge.max must be 1 to 20
      nudge max too high       | {"user_id":"U","body":"hi","due_at":"2030-01-01T00:00:00Z","nudge":{"every":"PT30M","max":21}}   | nudge.max    | nudge.max must be 1 to 20
      date and user both bad   | {"user_id":"bob","body":"hi","due_at":"soon"}                                                      | user_id      | 'bob' is not a UUID; 'soon' is not an ISO-8601 date-time
      """)
  void givenRequestBreakingItsConstraints_theAnswerNamesTheJsonFieldAndEveryProblem(String what, String body,
      String field, String error) {
    int before = storedReminders();
    RunningApp.Reply reply = app.post("/api/reminders", body.replace("\"U\"", "\"" + user + "\""));
    assertThat(reply.status()).as(reply.body()).isEqualTo(422);
    assertThat(reply.json().get("field").asText()).isEqualTo(field);
    assertThat(reply.json().get("error").asText()).contains(error);
    assertThat(storedReminders()).isEqualTo(before);
  }

  @Test
  void givenBadPageSizeOrMissingBody_theAnswerNamesTheParameter() {
    RunningApp.Reply tooBig = app.get("/api/reminders?user_id=" + user + "&limit=5000");
    assertThat(tooBig.status()).isEqualTo(422);
    assertThat(tooBig.json().get("field").asText()).isEqualTo("limit");
    assertThat(tooBig.json().get("error").asText()).isEqualTo("limit must be between 1 and 1000");
    assertThat(app.get("/api/series?limit=0").json().get("field").asText()).isEqualTo("limit");
    RunningApp.Reply notANumber = app.get("/api/users?limit=ten");
    assertThat(notANumber.status()).as(notANumber.body()).isEqualTo(422);
    assertThat(notANumber.json().get("field").asText()).isEqualTo("limit");
    assertThat(notANumber.json().get("error").asText()).isEqualTo("limit must be a whole number");
    RunningApp.Reply noBody = app.post("/api/users", "");
    assertThat(noBody.status()).as(noBody.body()).isEqualTo(422);
    assertThat(noBody.json().get("error").asText()).isEqualTo("a JSON body is required");
    RunningApp.Reply badPatch = app.patch("/api/users/" + user, "{\"email\":\"nobody\",\"timezone\":\"Mars/Base\"}");
    assertThat(badPatch.status()).isEqualTo(422);
    assertThat(badPatch.json().get("field").asText()).isEqualTo("email");
    assertThat(badPatch.json().get("error").asText()).contains("'nobody' is not an email address")
        .contains("'Mars/Base' is not an IANA time zone");
  }

  @Test
  void givenTextOverWhatsappsLimit_itIsRefused() {
    String body = "{\"user_id\":\"" + user + "\",\"template_name\":\"task_reminder\",\"variables\":{\"task_name\":"
        + "\"a\",\"due_time\":\"b\"},\"due_at\":\"2030-01-01T00:00:00Z\",\"body\":\"" + "x".repeat(1601) + "\"}";
    RunningApp.Reply reply = app.post("/api/reminders", body);
    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json().get("field").asText()).isEqualTo("body");
  }

  @Test
  void givenNoOrWrongApiKey_apiCallsAre401() {
    HttpRequest.Builder none = HttpRequest.newBuilder(URI.create(app.base() + "/api/reminders?user_id=" + user));
    HttpRequest.Builder wrong = HttpRequest.newBuilder(URI.create(app.base() + "/api/users"))
        .header("X-API-Key", "guess");
    HttpRequest.Builder sandbox = HttpRequest.newBuilder(URI.create(app.base() + "/sandbox/messages"));
    assertThat(app.send(none).status()).isEqualTo(401);
    assertThat(app.send(wrong).status()).isEqualTo(401);
    assertThat(app.send(sandbox).status()).isEqualTo(401);
    assertThat(app.send(wrong).body()).contains("X-API-Key");
  }

  @ParameterizedTest
  @CsvSource({"'12345', 422", "'not a phone', 422", "'', 422"})
  void givenInvalidPhone_userIsRefused(String phone, int status) {
    RunningApp.Reply reply = app.post("/api/users", "{\"display_name\":\"X\",\"phone_number\":\"" + phone + "\"}");
    assertThat(reply.status()).isEqualTo(status);
    assertThat(reply.json().get("field").asText()).isEqualTo("phone_number");
  }

  @Test
  void givenCommonPhoneFormats_theyAreStoredAsE164() {
    RunningApp.Reply reply = app.post("/api/users",
        "{\"display_name\":\"Grace\",\"phone_number\":\"(415) 555-2671\",\"timezone\":\"America/New_York\"}");
    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.json().get("phone_number").asText()).isEqualTo("+14155552671");
    String id = reply.json().get("user_id").asText();
    RunningApp.Reply moved = app.put("/api/users/" + id + "/phone", "{\"phone_number\":\"whatsapp:+44 7911 123457\"}");
    assertThat(moved.json().get("phone_number").asText()).isEqualTo("+447911123457");
    assertThat(app.put("/api/users/" + id + "/phone", "{\"phone_number\":\"+14155550199\"}").status())
        .isEqualTo(409);
  }

  @Test
  void givenBadTimezoneOrUnknownUser_theAnswerNamesIt() {
    assertThat(app.post("/api/users", "{\"display_name\":\"X\",\"timezone\":\"Mars/Base\"}").json()
        .get("field").asText()).isEqualTo("timezone");
    assertThat(app.get("/api/users/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
    assertThat(app.get("/api/users/zzz").status()).isEqualTo(422);
    assertThat(app.get("/api/reminders/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
  }
}
