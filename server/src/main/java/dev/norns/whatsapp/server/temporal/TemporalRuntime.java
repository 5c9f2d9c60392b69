package dev.norns.whatsapp.server.temporal;

import dev.norns.whatsapp.server.config.TemporalFactory;
import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.series.SeriesActivities;
import dev.norns.whatsapp.workflows.series.SeriesWorkflowImpl;
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
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Temporal connection (the embedded dev server or a cluster), the client, and the workers. */
public final class TemporalRuntime implements Managed {
  private static final Logger log = LoggerFactory.getLogger(TemporalRuntime.class);

  private final TemporalDevServer embedded;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final WorkflowServiceStubs apiStubs;
  private final WorkflowClient apiClient;
  private final String namespace;
  private final TemporalFactory config;
  private WorkerFactory workers;

  private TemporalRuntime(TemporalDevServer embedded, WorkflowServiceStubs stubs, TemporalFactory config) {
    this.embedded = embedded;
    this.stubs = stubs;
    this.config = config;
    this.namespace = config.getNamespace();
    this.client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    // The HTTP API's own connection: a frozen or unreachable server must cost a caller seconds (then 503), not the
    // SDK's default minute of retries. Workers keep the patient defaults.
    this.apiStubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder(stubs.getOptions())
        .setRpcTimeout(API_DEADLINE).setRpcQueryTimeout(API_DEADLINE)
        .setRpcRetryOptions(RpcRetryOptions.newBuilder().setExpiration(API_DEADLINE.plusSeconds(1))
            .validateBuildWithDefaults()).build());
    this.apiClient = WorkflowClient.newInstance(apiStubs, WorkflowClientOptions.newBuilder().setNamespace(namespace)
        .build());
  }

  /** How long an API call waits for Temporal before it answers 503. */
  private static final java.time.Duration API_DEADLINE = java.time.Duration.ofSeconds(3);

  /**
   * Connects (starting the embedded dev server first when no address is configured), checks the namespace, and makes
   * sure the search attributes exist.
   */
  public static TemporalRuntime connect(TemporalFactory config) {
    return connect(config, new NoopScope());
  }

  /** As {@link #connect(TemporalFactory)}, reporting the SDK's worker and client metrics to {@code metrics}. */
  public static TemporalRuntime connect(TemporalFactory config, Scope metrics) {
    TemporalDevServer embedded = null;
    String target = config.getAddress();
    if (config.embedded()) {
      int uiPort;
      try {
        uiPort = config.uiPort();
      } catch (IllegalArgumentException e) {
        throw new TemporalStartupException(e.getMessage());
      }
      embedded = TemporalDevServer.start(new TemporalDevServer.Settings(TemporalCli.locate(config.getCli()),
          config.getEmbeddedPort() == 0 ? freePort() : config.getEmbeddedPort(), uiPort,
          Path.of(config.getDataDir()).toAbsolutePath().normalize(), config.getNamespace(),
          SearchAttributeSetup.flags()));
      target = embedded.target();
    }
    try {
      WorkflowServiceStubs stubs = TemporalConnection.connect(config, target, metrics);
      SearchAttributeSetup.ensure(stubs, config.getNamespace(), target, config.registerSearchAttributes());
      log.info("temporal: connected to {} namespace {}{}{}", target, config.getNamespace(),
          config.tlsEnabled() ? " over TLS" : "",
          embedded != null && embedded.uiUrl() != null ? "; Web UI on " + embedded.uiUrl() : "");
      return new TemporalRuntime(embedded, stubs, config);
    } catch (RuntimeException e) {
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new TemporalStartupException("no free port for the embedded Temporal server: " + e.getMessage());
    }
  }

  /** Throws when the namespace cannot be described: the health check and start-up both use it. */
  public void describeNamespace() {
    stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
        .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
  }

  /**
   * Starts the workers. The send queue's activity rate is capped at the sender's MPS with Temporal's task-queue
   * limit, which the server enforces across every worker polling it. Executor, poller and cache sizes come from the
   * configuration.
   */
  public void startWorkers(ReminderActivities bookkeeping, InboundActivities inbound, SeriesActivities series,
      WhatsAppSendActivities sender, int senderMps) {
    workers = WorkerFactory.newInstance(client, factoryOptions(config));
    Worker reminders = workers.newWorker(TaskQueues.REMINDERS, tuned().build());
    reminders.registerWorkflowImplementationTypes(ReminderWorkflowImpl.class, InboundWorkflowImpl.class,
        SeriesWorkflowImpl.class);
    reminders.registerActivitiesImplementations(bookkeeping, inbound, series);
    workers.newWorker(TaskQueues.WHATSAPP_SEND, tuned().setMaxTaskQueueActivitiesPerSecond(senderMps).build())
        .registerActivitiesImplementations(sender);
    workers.start();
    log.info("temporal: workers polling {} and {} (send cap {} msg/s)", TaskQueues.REMINDERS,
        TaskQueues.WHATSAPP_SEND, senderMps);
  }

  /** The SDK's own default limit of workflow threads (600): its builder fills it in when nothing is set. */
  private static final int SDK_DEFAULT_WORKFLOW_THREADS =
      WorkerFactoryOptions.newBuilder().validateAndBuildWithDefaults().getMaxWorkflowThreadCount();

  /**
   * The cache size configured, and enough workflow threads for it: every cached workflow holds one while it waits,
   * and each workflow task being executed may need one more; never fewer than the SDK's default. The SDK evicts a
   * cached workflow whenever its threads run out, so with its default limit a cache set above 600 stayed at about 600.
   */
  static WorkerFactoryOptions factoryOptions(TemporalFactory config) {
    int threads = Math.max(SDK_DEFAULT_WORKFLOW_THREADS,
        config.getWorkflowCacheSize() + config.getWorkflowTaskExecutors());
    return WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(config.getWorkflowCacheSize())
        .setMaxWorkflowThreadCount(threads).build();
  }

  private WorkerOptions.Builder tuned() {
    return WorkerOptions.newBuilder()
        .setMaxConcurrentWorkflowTaskExecutionSize(config.getWorkflowTaskExecutors())
        .setMaxConcurrentActivityExecutionSize(config.getActivityTaskExecutors())
        .setMaxConcurrentWorkflowTaskPollers(config.getWorkflowTaskPollers())
        .setMaxConcurrentActivityTaskPollers(config.getActivityTaskPollers());
  }

  /** The workers' client (patient retries): activities and the relay use it. */
  public WorkflowClient client() {
    return client;
  }

  /** The HTTP API's client: calls fail within seconds when Temporal does not answer. */
  public WorkflowClient apiClient() {
    return apiClient;
  }

  /** The service is stopping: the embedded server's complaints about workers leaving are expected (debug). */
  public void stopping() {
    if (embedded != null) {
      embedded.windingDown();
    }
  }

  /** The embedded dev server, or null on a cluster. */
  public TemporalDevServer embedded() {
    return embedded;
  }

  public boolean workersRunning() {
    return workers != null && workers.isStarted() && !workers.isShutdown();
  }

  @Override
  public void start() {}

  @Override
  public void stop() {
    if (workers != null) {
      workers.shutdown();
      workers.awaitTermination(10, TimeUnit.SECONDS);
    }
    apiStubs.shutdown();
    stubs.shutdown();
    stubs.awaitTermination(5, TimeUnit.SECONDS);
    if (embedded != null) {
      embedded.close();
    }
  }
}
