package dev.norns.whatsapp.server.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norns.whatsapp.server.config.TemporalFactory;
import io.temporal.worker.WorkerFactoryOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The workflow cache an operator sets is the cache the workers get: the SDK evicts a cached workflow whenever its
 * workflow threads run out, so the thread limit must grow with the cache.
 */
class WorkerFactoryOptionsTest {
  private static WorkerFactoryOptions options(Map<String, Object> values) {
    return TemporalRuntime.factoryOptions(new ObjectMapper().convertValue(values, TemporalFactory.class));
  }

  @Test
  void aCacheLargerThanTheSdksThreadLimit_getsAThreadForEachCachedWorkflowAndEachTaskExecutor() {
    WorkerFactoryOptions options = options(Map.of("workflowCacheSize", 3000, "workflowTaskExecutors", 20));

    assertThat(options.getWorkflowCacheSize()).isEqualTo(3000);
    assertThat(options.getMaxWorkflowThreadCount()).isEqualTo(3020);
  }

  @Test
  void aSmallCache_keepsTheSdksDefaultThreadLimit() {
    WorkerFactoryOptions options = options(Map.of("workflowCacheSize", 100));

    assertThat(options.getWorkflowCacheSize()).isEqualTo(100);
    assertThat(options.getMaxWorkflowThreadCount()).isEqualTo(600);
  }

  @Test
  void theDefaults_cacheAndThreadsAgree() {
    WorkerFactoryOptions options = options(Map.of());

    assertThat(options.getMaxWorkflowThreadCount())
        .isGreaterThanOrEqualTo(options.getWorkflowCacheSize() + new TemporalFactory().getWorkflowTaskExecutors());
  }
}
