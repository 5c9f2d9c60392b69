package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import dev.norns.whatsapp.server.config.TemporalFactory;
import dev.norns.whatsapp.server.core.ReminderRequests;
import dev.norns.whatsapp.server.core.ReminderService;
import dev.norns.whatsapp.server.core.SeriesService;
import dev.norns.whatsapp.server.temporal.TemporalConnection;
import dev.norns.whatsapp.server.temporal.TemporalStartupException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A Temporal client for a command: the configured cluster ({@code TEMPORAL_ADDRESS}), or else the running service's
 * embedded server on 127.0.0.1:{@code temporal.embeddedPort}. It never starts a server of its own: a workflow started
 * on one would die with the command, and only the service runs the workers that carry it out.
 */
final class CommandTemporal implements AutoCloseable {
  static final String START_SERVICE = "start the service first (java -jar server/target/norns-whatsapp.jar server "
      + "config.yml)";

  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  private CommandTemporal(WorkflowServiceStubs stubs, String namespace) {
    this.stubs = stubs;
    this.client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  static CommandTemporal connect(TemporalFactory config) {
    String target;
    if (config.embedded()) {
      if (config.getEmbeddedPort() == 0) {
        throw new IllegalStateException("temporal.embeddedPort is 0 (a free port chosen at start), so the service's "
            + "Temporal cannot be found: set TEMPORAL_EMBEDDED_PORT (or TEMPORAL_ADDRESS) for both");
      }
      target = "127.0.0.1:" + config.getEmbeddedPort();
      if (!listening(config.getEmbeddedPort())) {
        throw new IllegalStateException("no Temporal server on " + target + ": " + START_SERVICE);
      }
    } else {
      target = config.getAddress().strip();
    }
    try {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newConnectedServiceStubs(
          TemporalConnection.options(config, target), Duration.ofSeconds(5));
      return new CommandTemporal(stubs, config.getNamespace());
    } catch (TemporalStartupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalStateException("Temporal at " + target + " did not answer"
          + (config.embedded() ? ": " + START_SERVICE : " (check TEMPORAL_ADDRESS)"), e);
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  WorkflowClient client() {
    return client;
  }

  /** The reminders as the service handles them, over this Temporal and {@code db}, configured as the service is. */
  ReminderService reminders(NornsConfiguration config, CommandDatabase db, Clock clock) {
    TemplateRegistry templates = new TemplateRegistry(TemplatesCommand.configured(config));
    return new ReminderService(db.jdbi(), client, new ReminderRequests(db.jdbi(), templates, clock),
        config.getReminders().getConfirmTimeout(), config.getReminders().getReadTimeout(),
        config.getReminders().dispatch(), config.getReminders().getInlineStarts(), clock);
  }

  /** The series as the service handles them, over this Temporal and {@code db}. */
  SeriesService series(NornsConfiguration config, CommandDatabase db, ReminderService reminders, Clock clock) {
    TemplateRegistry templates = new TemplateRegistry(TemplatesCommand.configured(config));
    return new SeriesService(db.jdbi(), client, new ReminderRequests(db.jdbi(), templates, clock), reminders, clock);
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    stubs.awaitTermination(2, TimeUnit.SECONDS);
  }
}
