package dev.norns.whatsapp.activities.inbound;

import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.inbound.Interpretation;
import dev.norns.whatsapp.workflows.inbound.ReplyToReminder;
import dev.norns.whatsapp.workflows.reminder.ReminderWorkflow;
import dev.norns.whatsapp.workflows.reminder.Refusals;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's reply applied to its reminder through the reminder workflow's update, so the answer tells the truth: the
 * confirmation when the reminder took it, else the reminder's state and why nothing changed. Idempotent as the
 * updates are: a retried DONE finds the reminder already ACKNOWLEDGED and says so.
 */
final class ReminderCommands {
  private static final Logger log = LoggerFactory.getLogger(ReminderCommands.class);

  private final Jdbi jdbi;
  private final WorkflowClient temporal;

  ReminderCommands(Jdbi jdbi, WorkflowClient temporal) {
    this.jdbi = jdbi;
    this.temporal = temporal;
  }

  String apply(ReplyToReminder reply) {
    ReminderWorkflow reminder = temporal.newWorkflowStub(ReminderWorkflow.class,
        WorkflowIds.reminder(reply.reminderId()));
    try {
      switch (reply.kind()) {
        case DONE -> reminder.acknowledge(reply.receivedAt());
        case SNOOZE -> reminder.snooze(reply.snoozeUntil(), reply.receivedAt());
        case CANCEL -> reminder.dismiss(reply.receivedAt());
        default -> throw new IllegalArgumentException("not a reminder command: " + reply.kind());
      }
      return reply.confirmation();
    } catch (WorkflowUpdateException refused) {
      String why = Refusals.reasonOf(refused);
      if (why.startsWith("the reminder is already over") && reply.kind() == Interpretation.Kind.DONE
          && acknowledgedOnTheRow(reply)) {
        return reply.confirmation();
      }
      log.info("whatsapp reply {} to reminder {} not applied: {}", reply.kind(), reply.reminderId(), why);
      return "Nothing changed: " + why + ".";
    } catch (WorkflowNotFoundException closed) {
      if (reply.kind() == Interpretation.Kind.DONE && acknowledgedOnTheRow(reply)) {
        return reply.confirmation();
      }
      String status = jdbi.withExtension(ReminderDao.class, dao -> dao.find(UUID.fromString(reply.reminderId())))
          .map(ReminderRow::status).orElse("gone");
      return "Nothing changed: that reminder is already " + status.toLowerCase(Locale.ROOT).replace('_', ' ') + ".";
    }
  }

  /**
   * A DONE after the reminder's reply window closed, while it still only had a delivery status (sent, delivered,
   * read, unconfirmed): the user did reply, so the row records it. False for one that ended otherwise.
   */
  private boolean acknowledgedOnTheRow(ReplyToReminder reply) {
    return jdbi.withExtension(ReminderDao.class, dao -> dao.acknowledge(UUID.fromString(reply.reminderId()))) > 0;
  }

}
