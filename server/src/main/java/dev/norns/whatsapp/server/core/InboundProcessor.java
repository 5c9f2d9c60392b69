package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.inbound.InboundJournal;
import dev.norns.whatsapp.activities.inbound.InboundMessage;
import dev.norns.whatsapp.activities.inbound.InboundRecorder;
import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.inbound.InboundInput;
import dev.norns.whatsapp.workflows.inbound.InboundWorkflow;
import io.dropwizard.lifecycle.Managed;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the inbound spool: records each message in PostgreSQL (session window, user), starts its workflow, then
 * deletes the spool file. A step that fails (PostgreSQL or Temporal down) leaves the file for the next pass, every
 * second and on each new message, so nothing the webhook acknowledged is lost.
 */
public final class InboundProcessor implements Managed {
  private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);

  private final InboundJournal journal;
  private final InboundRecorder recorder;
  private final WorkflowClient temporal;
  private final AtomicBoolean queued = new AtomicBoolean();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "inbound-processor");
    thread.setDaemon(true);
    return thread;
  });
  private volatile String lastFailure;

  public InboundProcessor(InboundJournal journal, InboundRecorder recorder, WorkflowClient temporal) {
    this.journal = journal;
    this.recorder = recorder;
    this.temporal = temporal;
  }

  /** Called once the workers run: drains what an earlier run left, then keeps draining. */
  public void begin() {
    executor.scheduleWithFixedDelay(this::drainQuietly, 0, 1, TimeUnit.SECONDS);
  }

  public void wake() {
    if (!queued.getAndSet(true)) {
      executor.execute(() -> {
        queued.set(false);
        drainQuietly();
      });
    }
  }

  private void drainQuietly() {
    try {
      drain();
    } catch (RuntimeException e) {
      if (!e.toString().equals(lastFailure)) {
        log.warn("whatsapp inbound spool in {}: will retry: {}", journal.dir(), e.toString());
      }
      lastFailure = e.toString();
    }
  }

  /** Processes every spooled message; stops at the first that cannot be processed yet. */
  public void drain() {
    for (Path file : journal.pending()) {
      InboundMessage message;
      try {
        message = journal.read(file);
      } catch (RuntimeException unreadable) {
        quarantine(file, unreadable);
        continue;
      }
      InboundRecorder.Recorded recorded;
      try {
        recorded = recorder.record(message);
      } catch (IllegalArgumentException invalid) {
        quarantine(file, invalid);
        continue;
      }
      start(new InboundInput(message.sid(), recorded.userId() == null ? null : recorded.userId().toString(),
          recorded.phone(), message.body(), message.buttonPayload(), message.repliedToSid(), message.receivedAt()));
      journal.delete(file);
      lastFailure = null;
    }
  }

  /** Starts the message's workflow; one per MessageSid, however often this runs. */
  public void start(InboundInput input) {
    InboundWorkflow workflow = temporal.newWorkflowStub(InboundWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.inbound(input.messageSid()))
        .setTaskQueue(TaskQueues.REMINDERS)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .build());
    try {
      WorkflowClient.start(workflow::run, input);
    } catch (WorkflowExecutionAlreadyStarted alreadyHandled) {
      log.debug("inbound {} already has its workflow", input.messageSid());
    }
  }

  private void quarantine(Path file, RuntimeException why) {
    Path bad = file.resolveSibling(file.getFileName() + ".rejected");
    log.error("whatsapp inbound spool file {} cannot be processed ({}); moved to {}", file, why.toString(), bad);
    try {
      Files.move(file, bad);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void start() {}

  @Override
  public void stop() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
