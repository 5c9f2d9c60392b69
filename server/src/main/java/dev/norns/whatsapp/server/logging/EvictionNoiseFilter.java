package dev.norns.whatsapp.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.temporal.failure.CanceledFailure;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Drops the Temporal SDK's warning "Promise completed with exception and was never accessed" when the exception is a
 * {@link CanceledFailure}: the SDK logs one, with its stack trace, for every timer a cached workflow was waiting on
 * when the worker evicts it from its cache (temporalio/sdk-java#631). Two instances on one task queue evict each
 * other's workflows all the time: one bench burst of 600 left 663 such stack traces in one instance's log, hiding
 * the lines a runbook greps for. Any other exception a workflow's promise ignored is still logged.
 */
public final class EvictionNoiseFilter extends TurboFilter {
  static final String LOGGER = "io.temporal.internal.sync.DeterministicRunnerImpl";

  /** Adds the filter to logback's context (once). */
  public static void install() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
        && context.getTurboFilterList().stream().noneMatch(EvictionNoiseFilter.class::isInstance)) {
      EvictionNoiseFilter filter = new EvictionNoiseFilter();
      filter.setName("temporal-eviction-noise");
      filter.start();
      context.addTurboFilter(filter);
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (t instanceof CanceledFailure && level == Level.WARN && LOGGER.equals(logger.getName())) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
