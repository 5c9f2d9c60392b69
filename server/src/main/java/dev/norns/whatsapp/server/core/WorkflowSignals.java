package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.reminder.DeliveryLedger;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.reminder.ReminderWorkflow;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook events to workflows off the request thread. The event is already in PostgreSQL when it gets here;
 * a reminder whose workflow has closed gets the status applied to its row instead.
 */
public final class WorkflowSignals implements Managed {
  private static final Logger log = LoggerFactory.getLogger(WorkflowSignals.class);

  private final WorkflowClient temporal;
  private final DeliveryLedger ledger;
  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(10_000), r -> {
        Thread thread = new Thread(r, "workflow-signals");
        thread.setDaemon(true);
        return thread;
      }, new ThreadPoolExecutor.CallerRunsPolicy());

  public WorkflowSignals(WorkflowClient temporal, DeliveryLedger ledger) {
    this.temporal = temporal;
    this.ledger = ledger;
  }

  public void deliveryStatus(UUID reminderId, DeliveryUpdate update) {
    executor.execute(() -> {
      try {
        temporal.newWorkflowStub(ReminderWorkflow.class, WorkflowIds.reminder(reminderId.toString()))
            .deliveryStatus(update);
      } catch (WorkflowNotFoundException closed) {
        ledger.advanceClosedReminder(reminderId, update.status(), update.errorCode(), update.errorMessage());
      } catch (RuntimeException e) {
        log.warn("whatsapp status for reminder {} stored but not signalled: {}", reminderId, e.toString());
      }
    });
  }

  @Override
  public void start() {}

  @Override
  public void stop() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
