package dev.norns.whatsapp.server.temporal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norns.whatsapp.server.testing.TestTemporal;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default's Temporal server: persistent, supervised, and reclaimed after its owner was killed. */
class TemporalDevServerTest {
  @TempDir
  Path dir;

  private TemporalDevServer.Settings settings() {
    return new TemporalDevServer.Settings(TemporalCli.locate(System.getenv("TEMPORAL_CLI")), TestTemporal.freePort(),
        0, dir, "default", Map.of("UserId", "Keyword"));
  }

  private static void startWorkflow(String target, String id) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newConnectedServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build(), Duration.ofSeconds(10));
    try {
      stubs.blockingStub().startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder().setNamespace("default")
          .setWorkflowId(id).setRequestId(UUID.randomUUID().toString())
          .setWorkflowType(WorkflowType.newBuilder().setName("Probe"))
          .setTaskQueue(TaskQueue.newBuilder().setName("nobody-polls")).build());
    } finally {
      stubs.shutdownNow();
    }
  }

  private static boolean exists(String target, String id) {
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newConnectedServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build(), Duration.ofSeconds(10));
    try {
      return stubs.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
          .setNamespace("default").setExecution(WorkflowExecution.newBuilder().setWorkflowId(id)).build())
          .getWorkflowExecutionInfo().getExecution().getWorkflowId().equals(id);
    } finally {
      stubs.shutdownNow();
    }
  }

  private static void eventually(Duration timeout, String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + what);
      }
      Thread.sleep(100);
    }
  }

  @Test
  void givenTheServerDies_itIsStartedAgainOnTheSameDataFile_andSaysDownMeanwhile() throws Exception {
    try (TemporalDevServer server = TemporalDevServer.start(settings())) {
      startWorkflow(server.target(), "kept");
      long pid = Long.parseLong(Files.readString(dir.resolve("temporal.pid")).strip());
      ProcessHandle.of(pid).orElseThrow().destroyForcibly();

      eventually(Duration.ofSeconds(10), "reported down", () -> server.downSince() != null);
      eventually(Duration.ofSeconds(60), "back up", () -> server.downSince() == null);
      assertThat(Long.parseLong(Files.readString(dir.resolve("temporal.pid")).strip())).isNotEqualTo(pid);
      assertThat(exists(server.target(), "kept")).isTrue();
    }
  }

  @Test
  void givenAServerAKilledServiceLeftRunning_theNextStartReplacesItFirstTime() throws Exception {
    TemporalDevServer.Settings settings = settings();
    TemporalDevServer abandoned = TemporalDevServer.start(settings);
    startWorkflow(abandoned.target(), "before-the-kill");
    long orphan = Long.parseLong(Files.readString(dir.resolve("temporal.pid")).strip());
    abandoned.detach();

    try (TemporalDevServer next = TemporalDevServer.start(settings)) {
      assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).isFalse();
      assertThat(exists(next.target(), "before-the-kill")).isTrue();
    }
  }

  @Test
  void givenNoCli_theErrorSaysHowToGetItOrUseACluster() {
    assertThatThrownBy(() -> TemporalCli.locate(dir.resolve("missing/temporal").toString()))
        .isInstanceOf(TemporalStartupException.class)
        .hasMessageContaining("bin/temporal-cli").hasMessageContaining("TEMPORAL_ADDRESS");
  }

  @Test
  void givenItsPortTaken_theErrorSaysWhichVariableToSet() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      TemporalDevServer.Settings settings = new TemporalDevServer.Settings(settings().cli(), taken.getLocalPort(), 0,
          dir, "default", Map.of());
      assertThatThrownBy(() -> TemporalDevServer.start(settings)).isInstanceOf(TemporalStartupException.class)
          .hasMessageContaining("TEMPORAL_EMBEDDED_PORT");
    }
  }
}
