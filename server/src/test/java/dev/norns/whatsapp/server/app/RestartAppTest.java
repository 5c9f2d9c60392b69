package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * A reminder scheduled before the service stops is kept by the Temporal server and delivered once by the next run's
 * workers (same server and namespace, as after a deploy).
 */
class RestartAppTest {

  @Test
  void givenProcessStoppedBeforeTheDueTime_afterARestartTheReminderIsDeliveredOnce() {
    try (TestDatabase db = TestDatabase.create()) {
      String phone = "+447911123498";
      String id;
      RunningApp first = new RunningApp(db);
      Instant due = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.MILLIS);
      try (RunningApp started = first.start()) {
        String user = first.createUser(phone);
        id = first.post("/api/reminders", """
            {"user_id":"%s","template_name":"task_reminder","variables":{"task_name":"Renew","due_time":"9am"},
             "due_at":"%s"}""".formatted(user, due)).json().get("reminder_id").asText();
        assertThat(first.get("/api/reminders/" + id).json().get("status").asText()).isEqualTo("SCHEDULED");
      }

      try (RunningApp second = RunningApp.beside(first, db).start()) {
        eventually(Duration.ofSeconds(40), "READ after restart", () ->
            "READ".equals(second.get("/api/reminders/" + id).json().get("status").asText()));
        assertThat(Instant.parse(second.get("/api/reminders/" + id).json().get("sent_at").asText()))
            .isAfterOrEqualTo(due);
        assertThat(second.get("/sandbox/messages?to=%2B447911123498").json()).hasSize(1);
      }
    }
  }
}
