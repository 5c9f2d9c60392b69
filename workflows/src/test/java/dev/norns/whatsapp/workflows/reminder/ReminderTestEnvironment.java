package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.TaskQueues;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/** A started time-skipping environment running the reminder workflow on the given activities, as production does. */
final class ReminderTestEnvironment {
  private ReminderTestEnvironment() {}

  static TestWorkflowEnvironment start(ReminderActivities bookkeeping, WhatsAppSendActivities twilio) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    ReminderSearchAttributes.REGISTERED.forEach(env::registerSearchAttribute);
    Worker reminders = env.newWorker(TaskQueues.REMINDERS);
    reminders.registerWorkflowImplementationTypes(ReminderWorkflowImpl.class);
    reminders.registerActivitiesImplementations(bookkeeping);
    env.newWorker(TaskQueues.WHATSAPP_SEND).registerActivitiesImplementations(twilio);
    env.start();
    return env;
  }

  /** Why the update {@code command} was refused (the validator's or the phase's reason); fails if it was not. */
  static String refusal(Runnable command) {
    try {
      command.run();
    } catch (io.temporal.client.WorkflowUpdateException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      return root.getMessage();
    }
    throw new AssertionError("not refused");
  }
}
