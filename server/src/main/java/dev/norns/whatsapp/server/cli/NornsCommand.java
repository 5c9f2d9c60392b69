package dev.norns.whatsapp.server.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import dev.norns.whatsapp.server.errors.ApiException;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import java.io.PrintStream;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * Base of the operator commands that replace the runbook's ssh + psql procedures. It exists so every command behaves
 * the same way: stdout carries only the table (logs go to stderr, warnings and up), and a failure is one line on
 * stderr with a non-zero exit instead of a stack trace.
 */
public abstract class NornsCommand extends ConfiguredCommand<NornsConfiguration> {

  protected NornsCommand(String name, String description) {
    super(name, description);
  }

  @Override
  protected final void run(Bootstrap<NornsConfiguration> bootstrap, Namespace namespace, NornsConfiguration config)
      throws Exception {
    logToStderr(bootstrap, config);
    PrintStream out = System.out;
    try {
      execute(namespace, config, out);
    } finally {
      out.flush();
    }
  }

  /** Does the command's work, printing its result to {@code out}; any exception is the command failing. */
  protected abstract void execute(Namespace namespace, NornsConfiguration config, PrintStream out) throws Exception;

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    cli.getStdErr().println("error: " + message(e));
    cli.getStdErr().flush();
  }

  /** What an operator needs to read: the API's field and message, or the exception's message and its cause's. */
  static String message(Throwable e) {
    if (e instanceof ApiException api) {
      boolean named = api.field() == null || api.getMessage().startsWith(api.field() + ":");
      return named ? api.getMessage() : api.field() + ": " + api.getMessage();
    }
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
      text = text + " (" + cause.getMessage().lines().findFirst().orElse("") + ")";
    }
    return text;
  }

  private static void logToStderr(Bootstrap<NornsConfiguration> bootstrap, NornsConfiguration config) {
    if (config.getLoggingFactory() instanceof DefaultLoggingFactory logging) {
      ConsoleAppenderFactory<ILoggingEvent> console = new ConsoleAppenderFactory<>();
      console.setTarget(ConsoleAppenderFactory.ConsoleStream.STDERR);
      logging.setAppenders(List.of(console));
      logging.setLevel("WARN");
      logging.configure(bootstrap.getMetricRegistry(), bootstrap.getApplication().getName());
    }
  }
}
