package dev.norns.whatsapp.server.temporal;

import dev.norns.whatsapp.server.config.TemporalFactory;
import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.inbound.InboundActivities;
import dev.norns.whatsapp.workflows.inbound.InboundWorkflowImpl;
import dev.norns.whatsapp.workflows.reminder.ReminderActivities;
import dev.norns.whatsapp.workflows.reminder.ReminderWorkflowImpl;
import dev.norns.whatsapp.workflows.reminder.WhatsAppSendActivities;
import com.uber.m3.tally.NoopScope;
import com.uber.m3.tally.Scope;
import io.dropwizard.lifecycle.Managed;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Temporal connection (embedded or a cluster), the client, and the workers. */
public final class TemporalRuntime implements Managed {
  private static final Logger log = LoggerFactory.getLogger(TemporalRuntime.class);

  private final EmbeddedTemporal embedded;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final String namespace;
  private WorkerFactory workers;

  private TemporalRuntime(EmbeddedTemporal embedded, WorkflowServiceStubs stubs, String namespace) {
    this.embedded = embedded;
    this.stubs = stubs;
    this.namespace = namespace;
    this.client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  /** Connects (starting the embedded server first when no address is configured) and checks the namespace. */
  public static TemporalRuntime connect(TemporalFactory config) {
    return connect(config, new NoopScope());
  }

  /** As {@link #connect(TemporalFactory)}, reporting the SDK's worker and client metrics to {@code metrics}. */
  public static TemporalRuntime connect(TemporalFactory config, Scope metrics) {
    EmbeddedTemporal embedded = null;
    String target = config.getAddress();
    if (config.embedded()) {
      embedded = EmbeddedTemporal.start(config.getEmbeddedPort());
      target = embedded.target();
      log.info("temporal: embedded in-memory server on {} (loopback only; workflows do not survive a restart, "
          + "PostgreSQL reminders are started again at boot)", target);
    }
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newConnectedServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).setMetricsScope(metrics).build(),
        java.time.Duration.ofSeconds(10));
    TemporalRuntime runtime = new TemporalRuntime(embedded, stubs, config.getNamespace());
    runtime.describeNamespace();
    log.info("temporal: connected to {} namespace {}", target, config.getNamespace());
    return runtime;
  }

  /** Throws when the namespace cannot be described: the health check and start-up both use it. */
  public void describeNamespace() {
    stubs.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
  }

  /**
   * Starts the workers. The send queue's activity rate is capped at the sender's MPS with Temporal's task-queue
   * limit (enforced by the server across all workers) and, because the embedded test server ignores that limit,
   * with the per-worker limit too when embedded (one worker there, so it is the total).
   */
  public void startWorkers(ReminderActivities bookkeeping, InboundActivities inbound, WhatsAppSendActivities sender,
      int senderMps) {
    workers = WorkerFactory.newInstance(client);
    Worker reminders = workers.newWorker(TaskQueues.REMINDERS);
    reminders.registerWorkflowImplementationTypes(ReminderWorkflowImpl.class, InboundWorkflowImpl.class);
    reminders.registerActivitiesImplementations(bookkeeping, inbound);
    WorkerOptions.Builder sendOptions = WorkerOptions.newBuilder().setMaxTaskQueueActivitiesPerSecond(senderMps);
    if (embedded != null) {
      sendOptions.setMaxWorkerActivitiesPerSecond(senderMps);
    }
    workers.newWorker(TaskQueues.WHATSAPP_SEND, sendOptions.build()).registerActivitiesImplementations(sender);
    workers.start();
    log.info("temporal: workers polling {} and {} (send cap {} msg/s)", TaskQueues.REMINDERS,
        TaskQueues.WHATSAPP_SEND, senderMps);
  }

  public WorkflowClient client() {
    return client;
  }

  public boolean embedded() {
    return embedded != null;
  }

  public boolean workersRunning() {
    return workers != null && workers.isStarted() && !workers.isShutdown();
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    if (workers != null) {
      workers.shutdownNow();
      workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    }
    stubs.shutdownNow();
    if (embedded != null) {
      embedded.close();
    }
  }
}
