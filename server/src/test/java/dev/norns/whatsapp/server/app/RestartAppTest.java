package dev.norns.whatsapp.server.app;

import static dev.norns.whatsapp.server.app.RunningApp.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded Temporal keeps nothing across a restart: PostgreSQL does, and the reminder is started again and
 * delivered once.
 */
class RestartAppTest {

  @Test
  void givenProcessStoppedBeforeTheDueTime_afterARestartTheReminderIsDeliveredOnce() {
    try (TestDatabase db = TestDatabase.create()) {
      String phone = "+447911123498";
      String id;
      Instant due = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.MILLIS);
      try (RunningApp first = new RunningApp(db).start()) {
        String user = first.createUser(phone);
        id = first.post("/api/reminders", """
            {"user_id":"%s","template_name":"task_reminder","variables":{"task_name":"Renew","due_time":"9am"},
             "due_at":"%s"}""".formatted(user, due)).json().get("reminder_id").asText();
        assertThat(first.get("/api/reminders/" + id).json().get("status").asText()).isEqualTo("SCHEDULED");
      }

      try (RunningApp second = new RunningApp(db).start()) {
        eventually(Duration.ofSeconds(40), "READ after restart", () ->
            "READ".equals(second.get("/api/reminders/" + id).json().get("status").asText()));
        assertThat(Instant.parse(second.get("/api/reminders/" + id).json().get("sent_at").asText()))
            .isAfterOrEqualTo(due);
        assertThat(second.get("/sandbox/messages?to=%2B447911123498").json()).hasSize(1);
      }
    }
  }
}
