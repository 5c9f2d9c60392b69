package dev.norns.whatsapp.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EvictionNoiseFilterTest {
  private final Logger runner = (Logger) LoggerFactory.getLogger(EvictionNoiseFilter.LOGGER);
  private final ListAppender<ILoggingEvent> seen = new ListAppender<>();

  @BeforeEach
  void listen() {
    seen.start();
    runner.addAppender(seen);
  }

  @AfterEach
  void stopListening() {
    runner.detachAppender(seen);
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList()
        .removeIf(EvictionNoiseFilter.class::isInstance);
  }

  @Test
  void givenAnEvictedWorkflowsCanceledTimer_itsWarningIsDropped_andAnyOtherIgnoredFailureStillLogged() {
    EvictionNoiseFilter.install();
    EvictionNoiseFilter.install();

    runner.warn("Promise completed with exception and was never accessed. The ignored exception:",
        new CanceledFailure("Canceled by request"));
    runner.warn("Promise completed with exception and was never accessed. The ignored exception:",
        ApplicationFailure.newFailure("the send failed", "TwilioTransient"));

    assertThat(seen.list).hasSize(1);
    assertThat(seen.list.get(0).getThrowableProxy().getClassName()).isEqualTo(ApplicationFailure.class.getName());
    assertThat(((LoggerContext) LoggerFactory.getILoggerFactory()).getTurboFilterList()
        .stream().filter(EvictionNoiseFilter.class::isInstance)).as("installed once").hasSize(1);
  }
}
