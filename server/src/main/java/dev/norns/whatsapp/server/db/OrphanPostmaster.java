package dev.norns.whatsapp.server.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A postmaster still running on our data directory when we start: the service that started it was killed
 * ({@code kill -9}) and pg_ctl's postmaster outlived it. Called once the data directory's lock is ours (the embedded
 * server takes it before this runs, and a live service holds it for its lifetime), so such a postmaster belongs to
 * no running service: stop it (fast shutdown) and wait, so the new start succeeds the first time.
 */
final class OrphanPostmaster {
  private static final Logger log = LoggerFactory.getLogger(OrphanPostmaster.class);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private OrphanPostmaster() {}

  static void stopIfOrphaned(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    Optional<ProcessHandle> postmaster = pid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(true));
    if (postmaster.isEmpty()) {
      return;
    }
    ProcessHandle process = postmaster.get();
    log.warn("database: stopping the embedded PostgreSQL (pid {}) a killed service left running on {}",
        process.pid(), dataDir);
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (process.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      if (process.isAlive()) {
        process.destroyForcibly();
        process.onExit().get();
      }
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Long> pid(Path pidFile) {
    try {
      List<String> lines = Files.isRegularFile(pidFile) ? Files.readAllLines(pidFile) : List.of();
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
