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
}
