package dev.norns.whatsapp.workflows.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.series.SeriesState.Status;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A series keeps exactly one reminder ahead, whatever happens to it (time skipping). */
class SeriesWorkflowTest {
  private final FakeSeriesActivities activities = new FakeSeriesActivities();
  private TestWorkflowEnvironment env;
  private SeriesWorkflow series;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(TaskQueues.REMINDERS);
    worker.registerWorkflowImplementationTypes(SeriesWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  /** Daily from {@code firstIn} from now; the API made the first occurrence. */
  private void begin(Duration firstIn) {
    activities.origin = now().plus(firstIn);
    Instant after = now();
    Instant first = activities.nextOccurrence("s1", after);
    String id = activities.createOccurrence("s1", first, 0);
    series = env.getWorkflowClient().newWorkflowStub(SeriesWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.series("s1")).setTaskQueue(TaskQueues.REMINDERS).build());
    WorkflowClient.start(series::run, new SeriesInput(SeriesState.active("s1", after).pending(id, first), "s"));
  }

  @Test
  void givenADailySeries_eachOccurrenceIsMadeWhenThePreviousFallsDue_oneAhead() {
    begin(Duration.ofHours(1));
    env.sleep(Duration.ofMinutes(30));
    assertThat(activities.made).hasSize(1);

    env.sleep(Duration.ofMinutes(31));
    assertThat(activities.made).extracting(FakeSeriesActivities.Made::dueAt)
        .containsExactly(activities.origin, activities.origin.plus(Duration.ofDays(1)));
    assertThat(series.getState().nextDueAt()).isEqualTo(activities.origin.plus(Duration.ofDays(1)));
    assertThat(series.getState().occurrences()).isEqualTo(2);

    env.sleep(Duration.ofDays(2));
    assertThat(activities.made).hasSize(4);
  }

  @Test
  void givenOccurrencesMissedWhileTheServiceWasDown_theDueOneGoesOnce_andTheOthersAreSkipped() {
    // The worker comes back three days after the pending occurrence was due: its timer fires at once.
    activities.origin = now().minus(Duration.ofDays(3));
    Instant pending = activities.origin;
    series = env.getWorkflowClient().newWorkflowStub(SeriesWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.series("s1")).setTaskQueue(TaskQueues.REMINDERS).build());
    WorkflowClient.start(series::run, new SeriesInput(SeriesState.active("s1", pending.minusMillis(1))
        .pending("late", pending), "s"));
    env.sleep(Duration.ofMinutes(1));

    assertThat(activities.made).as("the three missed days are not made").hasSize(1);
    assertThat(activities.made.get(0).dueAt()).isAfter(now());
  }

  @Test
  void givenPause_theComingOccurrenceIsWithdrawn_andResumeMakesTheNextAfterNow() {
    begin(Duration.ofHours(1));
    SeriesState paused = series.pause();
    assertThat(paused.status()).isEqualTo(Status.PAUSED);
    assertThat(paused.nextReminderId()).isNull();
    assertThat(activities.withdrawn).containsExactly(activities.made.get(0).reminderId());

    env.sleep(Duration.ofDays(3));
    assertThat(activities.made).as("nothing while paused").hasSize(1);

    SeriesState resumed = series.resume();
    assertThat(resumed.status()).isEqualTo(Status.ACTIVE);
    env.sleep(Duration.ofSeconds(1));
    assertThat(activities.made).hasSize(2);
    FakeSeriesActivities.Made next = activities.made.get(1);
    assertThat(next.dueAt()).isAfter(now());
    assertThat(next.generation()).as("a new id even for the same time").isGreaterThan(0);
  }

  @Test
  void givenAnEdit_theComingOccurrenceIsMadeAgain_unlessItIsBeingSent() {
    begin(Duration.ofHours(1));
    series.edited();
    env.sleep(Duration.ofSeconds(1));
    assertThat(activities.withdrawn).hasSize(1);
    assertThat(activities.made).hasSize(2);
    assertThat(activities.made.get(1).dueAt()).isEqualTo(activities.made.get(0).dueAt());
    assertThat(activities.made.get(1).generation()).isEqualTo(1);

    activities.sendingNow = true;
    series.edited();
    env.sleep(Duration.ofSeconds(1));
    assertThat(activities.made).as("the one being sent goes on; the edit applies from the next").hasSize(3);
    assertThat(activities.made.get(2).dueAt()).isEqualTo(activities.origin.plus(Duration.ofDays(1)));
  }

  @Test
  void givenCancel_theSeriesEnds_andLaterCommandsAreRefused() {
    begin(Duration.ofHours(1));
    assertThat(series.cancel().status()).isEqualTo(Status.CANCELLED);
    assertThat(WorkflowStub.fromTyped(series).getResult(SeriesState.class).status()).isEqualTo(Status.CANCELLED);
    assertThat(activities.withdrawn).hasSize(1);
  }

  @Test
  void givenAResumeWhileActive_itIsRefusedByTheValidator() {
    begin(Duration.ofHours(1));
    assertThatThrownBy(series::resume).isInstanceOf(WorkflowUpdateException.class)
        .rootCause().hasMessageContaining("not paused");
  }

  @Test
  void givenARuleWithACount_theSeriesEndsAfterItsLastOccurrence() {
    activities.count = 2;
    begin(Duration.ofHours(1));
    env.sleep(Duration.ofDays(2));
    assertThat(activities.made).hasSize(2);
    assertThat(WorkflowStub.fromTyped(series).getResult(SeriesState.class).status()).isEqualTo(Status.ENDED);
  }
}
