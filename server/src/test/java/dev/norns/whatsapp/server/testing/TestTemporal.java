package dev.norns.whatsapp.server.testing;

import dev.norns.whatsapp.server.temporal.TemporalCli;
import dev.norns.whatsapp.server.temporal.TemporalDevServer;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real Temporal server for the whole test run: the Temporal CLI's dev server (the same binary, started by the same
 * production class as the embedded default), on free ports with a temporary SQLite file. Each app under test gets a
 * namespace of its own, so workflows one test leaves running never reach another test's workers. The CLI comes from
 * TEMPORAL_CLI or the places the service looks (bin/test installs it).
 */
public final class TestTemporal {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static TestTemporal shared;

  private final TemporalDevServer server;
  private final WorkflowServiceStubs stubs;

  private TestTemporal(TemporalDevServer server) {
    this.server = server;
    this.stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
        .setTarget(server.target()).build());
  }

  /** The run's server, started on first use and stopped when the test JVM exits. */
  public static synchronized TestTemporal shared() {
    if (shared == null) {
      try {
        Path dir = Files.createTempDirectory("norns-temporal");
        TemporalDevServer server = TemporalDevServer.start(new TemporalDevServer.Settings(
            TemporalCli.locate(System.getenv("TEMPORAL_CLI")), freePort(), freePort(), dir, "default",
            Map.of()));
        shared = new TestTemporal(server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "test-temporal-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  public String target() {
    return server.target();
  }

  /** The Web UI's base URL (its HTTP API answers list queries). */
  public String ui() {
    return server.uiUrl();
  }

  /** A new namespace, usable when this returns. */
  public String newNamespace() {
    String name = "test-" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet();
    stubs.blockingStub().registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace(name)
        .setWorkflowExecutionRetentionPeriod(com.google.protobuf.util.Durations.fromDays(1)).build());
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (true) {
      try {
        stubs.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(name).build());
        stubs.blockingStub().listWorkflowExecutions(io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest
            .newBuilder().setNamespace(name).build());
        return name;
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * A port free now, below Linux's ephemeral range (32768+): a port chosen here for a process to bind later cannot be
   * taken meanwhile by a port the kernel hands out (the Temporal server's own random HTTP and metrics ports).
   */
  public static synchronized int freePort() {
    java.util.Random random = new java.util.Random();
    for (int i = 0; i < 200; i++) {
      int port = 20000 + random.nextInt(12000);
      try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new UncheckedIOException(new IOException("no free port between 20000 and 32000"));
  }
}
