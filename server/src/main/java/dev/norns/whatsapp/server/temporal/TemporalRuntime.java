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
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
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
  private final TemporalFactory config;
  private WorkerFactory workers;
  /** Connected to another instance's embedded (in-memory test) server rather than a cluster. */
  private boolean peerTestServer;

  private TemporalRuntime(EmbeddedTemporal embedded, WorkflowServiceStubs stubs, TemporalFactory config) {
    this.embedded = embedded;
    this.stubs = stubs;
    this.config = config;
    this.namespace = config.getNamespace();
    this.client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  /**
   * Connects (starting the embedded server first when no address is configured), checks the namespace, and makes
   * sure the search attributes exist: registered on the embedded server, verified on a cluster.
   */
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
    try {
      WorkflowServiceStubs stubs = TemporalConnection.connect(config, target, metrics);
      boolean peerTestServer = false;
      if (embedded != null) {
        SearchAttributeSetup.register(stubs, config.getNamespace());
      } else {
        peerTestServer = !SearchAttributeSetup.verify(stubs, config.getNamespace(), target);
      }
      log.info("temporal: connected to {} namespace {}{}", target, config.getNamespace(),
          config.tlsEnabled() ? " over TLS" : "");
      TemporalRuntime runtime = new TemporalRuntime(embedded, stubs, config);
      runtime.peerTestServer = peerTestServer;
      return runtime;
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  /** Throws when the namespace cannot be described: the health check and start-up both use it. */
  public void describeNamespace() {
    stubs.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
  }

  /**
   * Starts the workers. The send queue's activity rate is capped at the sender's MPS with Temporal's task-queue
   * limit (enforced by the server across all workers) and, because the embedded test server ignores that limit,
   * with the per-worker limit too when embedded (one worker there, so it is the total). Executor, poller and cache
   * sizes come from the configuration.
   */
  public void startWorkers(ReminderActivities bookkeeping, InboundActivities inbound, WhatsAppSendActivities sender,
      int senderMps) {
    int cacheSize = config.getWorkflowCacheSize();
    if (peerTestServer && cacheSize > 0) {
      // The in-memory server never moves a dead worker's sticky tasks back to the shared queue (a cluster does after
      // the sticky schedule-to-start timeout): a restart of this instance would strand the workflows it had cached.
      log.warn("temporal: {} is another instance's in-memory server: workflow cache (sticky execution) off",
          client.getWorkflowServiceStubs().getOptions().getTarget());
      cacheSize = 0;
    }
    workers = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
        .setWorkflowCacheSize(cacheSize).build());
    Worker reminders = workers.newWorker(TaskQueues.REMINDERS, tuned().build());
    reminders.registerWorkflowImplementationTypes(ReminderWorkflowImpl.class, InboundWorkflowImpl.class);
    reminders.registerActivitiesImplementations(bookkeeping, inbound);
    WorkerOptions.Builder sendOptions = tuned().setMaxTaskQueueActivitiesPerSecond(senderMps);
    if (embedded != null) {
      sendOptions.setMaxWorkerActivitiesPerSecond(senderMps);
    }
    workers.newWorker(TaskQueues.WHATSAPP_SEND, sendOptions.build()).registerActivitiesImplementations(sender);
    workers.start();
    log.info("temporal: workers polling {} and {} (send cap {} msg/s)", TaskQueues.REMINDERS,
        TaskQueues.WHATSAPP_SEND, senderMps);
  }

  private WorkerOptions.Builder tuned() {
    return WorkerOptions.newBuilder()
        .setMaxConcurrentWorkflowTaskExecutionSize(config.getWorkflowTaskExecutors())
        .setMaxConcurrentActivityExecutionSize(config.getActivityTaskExecutors())
        .setMaxConcurrentWorkflowTaskPollers(config.getWorkflowTaskPollers())
        .setMaxConcurrentActivityTaskPollers(config.getActivityTaskPollers());
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
