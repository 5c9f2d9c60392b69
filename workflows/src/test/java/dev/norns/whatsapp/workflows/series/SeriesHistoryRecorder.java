package dev.norns.whatsapp.workflows.series;

import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Records the series history {@link SeriesWorkflowReplayTest} replays: two occurrences, pause, resume, edit, cancel.
 * Run it only when the workflow changes on purpose (behind {@code Workflow.getVersion}):
 * {@code java -cp <test classpath> dev.norns.whatsapp.workflows.series.SeriesHistoryRecorder
 * workflows/src/test/resources/histories}.
 */
public final class SeriesHistoryRecorder {
  private SeriesHistoryRecorder() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      FakeSeriesActivities activities = new FakeSeriesActivities();
      Worker worker = env.newWorker(TaskQueues.REMINDERS);
      worker.registerWorkflowImplementationTypes(SeriesWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
      env.start();
      Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
      activities.origin = now.plus(Duration.ofHours(1));
      String first = activities.createOccurrence("recorded", activities.origin, 0);
      String id = WorkflowIds.series("recorded");
      SeriesWorkflow series = env.getWorkflowClient().newWorkflowStub(SeriesWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.REMINDERS).build());
      WorkflowClient.start(series::run, new SeriesInput(SeriesState.active("recorded", now)
          .pending(first, activities.origin), "Recurring reminder for Ada: \"Water the plants\", daily"));
      env.sleep(Duration.ofHours(2));
      series.pause();
      env.sleep(Duration.ofDays(2));
      series.resume();
      env.sleep(Duration.ofHours(1));
      series.edited();
      env.sleep(Duration.ofDays(1));
      series.cancel();
      WorkflowStub.fromTyped(series).getResult(SeriesState.class);
      Files.writeString(dir.resolve("series-pause-resume-edit-cancel.json"),
          env.getWorkflowClient().fetchHistory(id).toJson(true));
    }
  }
}
