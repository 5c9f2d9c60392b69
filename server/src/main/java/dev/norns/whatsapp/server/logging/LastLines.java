package dev.norns.whatsapp.server.logging;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Writes out the last log lines of a process that is exiting.
 *
 * <p>Dropwizard wraps every appender in an asynchronous one. Its worker takes the queued lines in a batch and writes
 * them one by one, and the JVM halts as soon as its shutdown hooks return. Dropwizard's own flush at stop waits only
 * until the queue is empty, so the last lines of a batch in hand (the "stopped in" line) could be lost. Stopping the
 * logging context stops each asynchronous appender, which joins its worker once it has written everything it holds.
 *
 * <p>Only when the JVM is exiting: an application stopped inside a running JVM (the in-process tests) keeps logging.
 */
public final class LastLines {
  private LastLines() {}

  /** Stops logging, every line written, if the JVM is running its shutdown hooks; otherwise nothing. */
  public static void writeOutIfExiting() {
    if (jvmExiting() && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }

  /** A shutdown hook can no longer be added once the JVM has begun to exit: the documented way to ask. */
  static boolean jvmExiting() {
    Thread probe = new Thread(() -> { });
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException exiting) {
      return true;
    }
  }
}
