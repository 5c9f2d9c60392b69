package dev.norns.whatsapp.server.temporal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's Temporal: the official Temporal CLI's dev server ({@code temporal server start-dev}), a real
 * Temporal server with SQLite persistence, list queries, schedules and the Web UI, run as a child process bound to
 * 127.0.0.1, the way the embedded PostgreSQL is. Its data file lives under the data directory, so workflows survive
 * restarts. It is supervised: if it exits while the service runs, it is started again on the same file (the health
 * check says Temporal is down meanwhile). A server left running by a killed service (its PID is kept in
 * {@code temporal.pid} beside the data file) is stopped before a new one starts, so {@code kill -9} then start works
 * the first time.
 */
public final class TemporalDevServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TemporalDevServer.class);
  private static final Logger serverLog = LoggerFactory.getLogger("temporal.server");
  private static final Duration READY = Duration.ofSeconds(60);

  /** What to run: the CLI, ports (UI 0: headless), the data directory, namespace and search attributes. */
  public record Settings(Path cli, int port, int uiPort, Path dataDir, String namespace,
      Map<String, String> searchAttributes) {}

  private final Settings settings;
  private final Path pidFile;
  private volatile Process process;
  private volatile boolean closing;
  private volatile boolean windingDownFromNow;
  private final java.util.concurrent.atomic.AtomicInteger windingDown = new java.util.concurrent.atomic.AtomicInteger();
  private volatile Instant downSince;
  private Thread supervisor;

  private TemporalDevServer(Settings settings) {
    this.settings = settings;
    this.pidFile = settings.dataDir().resolve("temporal.pid");
  }

  /** Starts the server and waits until its gRPC port answers; throws {@link TemporalStartupException} otherwise. */
  public static TemporalDevServer start(Settings settings) {
    try {
      Files.createDirectories(settings.dataDir());
    } catch (IOException e) {
      throw new TemporalStartupException("cannot create the embedded Temporal's data directory "
          + settings.dataDir() + ": " + e.getMessage());
    }
    TemporalDevServer server = new TemporalDevServer(settings);
    server.stopOrphan();
    server.launch();
    server.awaitReady();
    server.supervise();
    return server;
  }

  public String target() {
    return "127.0.0.1:" + settings.port();
  }

  /** The Web UI's address, or null when headless. */
  public String uiUrl() {
    return settings.uiPort() > 0 ? "http://127.0.0.1:" + settings.uiPort() : null;
  }

  public Path dataFile() {
    return settings.dataDir().resolve("temporal.db");
  }

  /** Null while the server runs; when it died (and is being started again), since when. */
  public Instant downSince() {
    return downSince;
  }

  static final List<String> SQLITE_PRAGMAS = List.of("journal_mode=wal", "synchronous=normal");

  List<String> command() {
    List<String> command = new ArrayList<>(List.of(settings.cli().toString(), "server", "start-dev",
        "--ip", "127.0.0.1", "--port", Integer.toString(settings.port()),
        "--db-filename", dataFile().toString(), "--namespace", settings.namespace(), "--log-level", "warn"));
    // SQLite in WAL mode with synchronous=NORMAL: a commit no longer waits for an fsync (the profile of a scheduling
    // burst found each workflow start and task completion waiting for one). A process crash (kill -9) loses nothing;
    // a power loss may lose the last commits, which PostgreSQL, the system of record, gives back through reconcile.
    for (String pragma : SQLITE_PRAGMAS) {
      command.addAll(List.of("--sqlite-pragma", pragma));
    }
    if (settings.uiPort() > 0) {
      command.addAll(List.of("--ui-port", Integer.toString(settings.uiPort()), "--ui-ip", "127.0.0.1",
          "--ui-disable-news-fetch"));
    } else {
      command.add("--headless");
    }
    settings.searchAttributes().forEach((name, type) -> command.addAll(List.of("--search-attribute",
        name + "=" + type)));
    return command;
  }

  private void launch() {
    if (listening(settings.port())) {
      throw new TemporalStartupException("port " + settings.port() + " on 127.0.0.1 is in use by another program: "
          + "set TEMPORAL_EMBEDDED_PORT to a free port, or TEMPORAL_ADDRESS to use that server");
    }
    try {
      Process started = new ProcessBuilder(command()).redirectErrorStream(true).start();
      Files.writeString(pidFile, Long.toString(started.pid()) + "\n", StandardCharsets.UTF_8);
      process = started;
      Thread pump = new Thread(() -> fold(started.getInputStream()), "temporal-server-log");
      pump.setDaemon(true);
      pump.start();
      log.info("temporal: embedded Temporal server (pid {}) starting on {} with data in {}{}", started.pid(),
          target(), dataFile(), uiUrl() == null ? ", no Web UI" : ", Web UI on " + uiUrl());
    } catch (IOException e) {
      throw new TemporalStartupException("could not run " + settings.cli() + ": " + e.getMessage() + "; "
          + TemporalCli.HOW_TO_GET_IT);
    }
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new TemporalStartupException("the embedded Temporal server exited at start with code "
            + process.exitValue() + " (its log is above, logger temporal.server)");
      }
      if (listening(settings.port())) {
        return;
      }
      sleep(Duration.ofMillis(100));
    }
    process.destroyForcibly();
    throw new TemporalStartupException("the embedded Temporal server did not listen on " + target() + " within "
        + READY.toSeconds() + " s");
  }

  /** Starts the server again, on the same data file, whenever it exits while the service runs. */
  private void supervise() {
    supervisor = new Thread(() -> {
      Duration backoff = Duration.ofSeconds(1);
      while (!closing) {
        try {
          int code = process.waitFor();
          if (closing) {
            return;
          }
          downSince = Instant.now();
          log.warn("temporal: the embedded Temporal server exited with code {}; starting it again in {} s", code,
              backoff.toSeconds());
          sleep(backoff);
          if (closing) {
            return;
          }
          launch();
          awaitReady();
          downSince = null;
          backoff = Duration.ofSeconds(1);
          log.warn("temporal: the embedded Temporal server is back on {}", target());
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          log.warn("temporal: the embedded Temporal server did not come back: {}", e.getMessage());
          backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
              : backoff.multipliedBy(2);
        }
      }
    }, "temporal-server-supervisor");
    supervisor.setDaemon(true);
    supervisor.start();
  }

  /** A server a killed service left on our data file: stop it (TERM, then KILL) before starting ours. */
  private void stopOrphan() {
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readString(pidFile).strip());
      ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().commandLine().map(c -> c.contains("start-dev") && c.contains(dataFile().toString()))
              .orElse(p.info().command().map(c -> c.endsWith("temporal")).orElse(false)))
          .ifPresent(orphan -> {
            log.warn("temporal: stopping the embedded Temporal server (pid {}) a killed service left running on {}",
                orphan.pid(), dataFile());
            stop(orphan);
          });
      Files.deleteIfExists(pidFile);
    } catch (IOException | NumberFormatException e) {
      log.warn("temporal: ignoring unreadable {}: {}", pidFile, e.getMessage());
    }
  }

  private static void stop(ProcessHandle process) {
    process.destroy();
    try {
      process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      process.onExit().join();
    }
  }

  /**
   * The server's own output, folded into the service's log as logger {@code temporal.server}: it runs at
   * {@code --log-level warn}, so its log records are warnings or errors; the start-up banner is information. Once we
   * stop it, what it says while it winds down (its internal workers failing to poll the frontend it just closed) is
   * expected: logged at debug and counted, so an ordinary stop leaves a quiet log.
   */
  private void fold(InputStream output) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String text = line.strip();
        if (text.isEmpty()) {
          continue;
        }
        if (closing || windingDownFromNow) {
          windingDown.incrementAndGet();
          serverLog.debug("{}", text);
        } else if (text.contains("\"level\":\"error\"") || text.contains("level=error") || text.startsWith("Error")) {
          serverLog.error("{}", text);
        } else if (text.startsWith("{") || text.contains("level=")) {
          serverLog.warn("{}", text);
        } else {
          serverLog.info("{}", text);
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
    }
  }

  /**
   * The service is stopping: from now on what the server says goes to debug (counted in the line {@link #close()}
   * logs). Its workers leaving makes the server complain about their sticky task queues before it is itself stopped.
   */
  public void windingDown() {
    windingDownFromNow = true;
  }

  /** Stops supervising without stopping the process: what a killed service leaves behind (for tests). */
  void detach() {
    closing = true;
    if (supervisor != null) {
      supervisor.interrupt();
    }
  }

  /** Stops the server (and its supervisor): TERM, then KILL after 10 s. */
  @Override
  public void close() {
    closing = true;
    if (supervisor != null) {
      supervisor.interrupt();
    }
    Process running = process;
    if (running != null) {
      long started = System.nanoTime();
      stop(running.toHandle());
      log.info("temporal: embedded Temporal server stopped in {} ms ({} lines of its winding down at debug)",
          (System.nanoTime() - started) / 1_000_000, windingDown.get());
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      log.debug("temporal: {} not removed: {}", pidFile, e.getMessage());
    }
  }
}
