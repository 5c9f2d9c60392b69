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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the inbound spool: records each message in PostgreSQL (session window, user), starts its workflow, and moves
 * past it in the spool. A step that fails (PostgreSQL or Temporal down) leaves the message for the next pass, every
 * second and on each new message, so nothing the webhook acknowledged is lost; one that can never be processed is put
 * aside in the spool's {@code rejected/}.
 */
public final class InboundProcessor implements Managed {
  private static final Logger log = LoggerFactory.getLogger(InboundProcessor.class);

  /** Messages whose PostgreSQL work commits together; progress is written down after each batch. */
  private static final int BATCH = 100;
  /** A segment being written whose messages are all processed is closed (and deleted) once open this long. */
  private static final Duration RETIRE_AFTER = Duration.ofMinutes(1);

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

  /**
   * Processes every spooled message, oldest first, in batches: a batch's PostgreSQL work commits once (one WAL sync
   * instead of three per message, which competed with the webhook's own sync for the disk), then the batch's
   * workflows start. Stops at the first batch that cannot be processed yet (PostgreSQL or Temporal down) and starts
   * there next time: recording again is idempotent, and a workflow starts once per MessageSid. Also makes the spool's
   * next segment ahead of need.
   */
  public void drain() {
    journal.prepareSpare();
    for (InboundJournal.Segment segment : journal.readable()) {
      Iterator<InboundJournal.Entry> entries = segment.entries().iterator();
      long processedTo = segment.progress();
      while (entries.hasNext()) {
        List<InboundJournal.Entry> batch = new ArrayList<>(BATCH);
        while (batch.size() < BATCH && entries.hasNext()) {
          batch.add(entries.next());
        }
        List<InboundInput> toStart = new ArrayList<>();
        recorder.inTransaction(() -> batch.forEach(entry -> process(entry).ifPresent(toStart::add)));
        toStart.forEach(this::start);
        processedTo = batch.get(batch.size() - 1).next();
        segment.processedUpTo(processedTo);
      }
      if (segment.active()) {
        journal.retireIfProcessed(segment, processedTo, RETIRE_AFTER);
      } else {
        segment.finished();
      }
      lastFailure = null;
    }
  }

  /**
   * One spooled message, recorded and (when nothing acts on it) settled, in the caller's transaction; the warm-up runs
   * this too. A message that can never be processed is put aside.
   *
   * @return the message's workflow input, when it needs one
   */
  public Optional<InboundInput> process(InboundJournal.Entry entry) {
    InboundMessage message;
    try {
      message = entry.message();
    } catch (IllegalArgumentException unreadable) {
      journal.reject(entry, unreadable.getMessage());
      return Optional.empty();
    }
    InboundRecorder.Recorded recorded;
    try {
      recorded = recorder.record(message);
    } catch (IllegalArgumentException invalid) {
      journal.reject(entry, invalid.getMessage());
      return Optional.empty();
    }
    if (recorder.settleWithoutWorkflow(recorded, message).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(new InboundInput(message.sid(), recorded.userId() == null ? null : recorded.userId().toString(),
        recorded.phone(), message.body(), message.buttonPayload(), message.repliedToSid(), message.receivedAt()));
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

  @Override
  public void start() {}

  @Override
  public void stop() throws InterruptedException {
    executor.shutdown();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
