package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.activities.db.Database;
import dev.norns.whatsapp.server.config.DatabaseFactory;
import dev.norns.whatsapp.server.db.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL for a command, reached the way the service's configuration says: {@code database.url} when set; else the
 * running service's embedded server (found from {@code postmaster.pid} in its data directory), or, when the service is
 * not running, an embedded server started on that directory for the command's duration. One place, so every command
 * sees the same data the service does.
 */
final class CommandDatabase implements AutoCloseable {
  private final PGSimpleDataSource dataSource;
  private final EmbeddedPostgresServer started;
  private final Jdbi jdbi;

  private CommandDatabase(String url, String user, String password, EmbeddedPostgresServer started) {
    this.dataSource = new PGSimpleDataSource();
    dataSource.setUrl(url);
    dataSource.setUser(user);
    dataSource.setPassword(password == null ? "" : password);
    dataSource.setConnectTimeout(5);
    this.started = started;
    this.jdbi = Database.jdbi(dataSource);
  }

  /** Connects without touching the schema (for {@code db status}). */
  static CommandDatabase open(DatabaseFactory config) {
    if (!config.embedded()) {
      return new CommandDatabase(config.getUrl().strip(), config.getUser(), config.getPassword(), null);
    }
    Path dir = Path.of(config.getEmbeddedDataDir()).toAbsolutePath().normalize();
    OptionalInt port = runningPort(dir);
    if (port.isPresent()) {
      try {
        return new CommandDatabase("jdbc:postgresql://127.0.0.1:" + port.getAsInt() + "/postgres", "postgres",
            EmbeddedPostgresServer.readPassword(dir), null);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the embedded PostgreSQL's password in " + dir, e);
      }
    }
    EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir.toString(), config.getEmbeddedPort());
    return new CommandDatabase(server.jdbcUrl(), server.user(), server.password(), server);
  }

  /** Connects and applies pending migrations first, so a fresh data directory works too. */
  static CommandDatabase openMigrated(DatabaseFactory config) {
    CommandDatabase db = open(config);
    try {
      db.migrate();
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * The port of the PostgreSQL whose {@code postmaster.pid} is in {@code dataDir}, when that process is alive. The
   * file's first line is the postmaster's PID, its fourth the port.
   */
  static OptionalInt runningPort(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return OptionalInt.empty();
    }
    try {
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.size() < 4) {
        return OptionalInt.empty();
      }
      long pid = Long.parseLong(lines.get(0).strip());
      int port = Integer.parseInt(lines.get(3).strip());
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive ? OptionalInt.of(port) : OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  MigrateResult migrate() {
    return Database.migrate(dataSource);
  }

  Flyway flyway() {
    return Database.flyway(dataSource);
  }

  Jdbi jdbi() {
    return jdbi;
  }

  @Override
  public void close() {
    if (started != null) {
      try {
        started.stop();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not stop cleanly", e);
      }
    }
  }
}
