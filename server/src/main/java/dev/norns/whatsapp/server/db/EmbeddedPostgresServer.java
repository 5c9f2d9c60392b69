package dev.norns.whatsapp.server.db;

import io.dropwizard.lifecycle.Managed;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL run by the process itself, with a data directory that survives restarts (the embedded default).
 * <ul>
 *   <li>Password-protected: a generated password is kept in the data directory ({@value #PASSWORD_FILE}, mode 0600)
 *       and every connection, TCP or socket, must give it; the operator commands read it from there.</li>
 *   <li>Durable: fsync and {@code synchronous_commit} on, so a reminder the API confirmed survives a power cut.</li>
 *   <li>Self-healing: a postmaster left running by a service that was killed ({@code kill -9}) is found from
 *       {@code postmaster.pid} and stopped before the new one starts.</li>
 * </ul>
 */
public final class EmbeddedPostgresServer implements Managed {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  public static final String PASSWORD_FILE = "norns-password";
  private static final String SECURED_HBA = """
      # Written by norns-whatsapp: every connection needs the password in norns-password.
      local   all   all                  scram-sha-256
      host    all   all   127.0.0.1/32   scram-sha-256
      host    all   all   ::1/128        scram-sha-256
      """;

  private final EmbeddedPostgres postgres;
  private final String password;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  /** Started for an operator command: stopped by its caller, or by a JVM shutdown hook if the command is killed. */
  public static EmbeddedPostgresServer start(String dataDir, int port) {
    return start(dataDir, port, true);
  }

  /**
   * Started for the service: stopped by its lifecycle only, after everything that uses it (a JVM shutdown hook of its
   * own would run beside Dropwizard's and stop it under the dispatcher and the relays).
   */
  public static EmbeddedPostgresServer startManaged(String dataDir, int port) {
    return start(dataDir, port, false);
  }

  private static EmbeddedPostgresServer start(String dataDir, int port, boolean shutdownHook) {
    Path dir = Path.of(dataDir).toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir.getParent());
      String password = readPassword(dir);
      boolean secured = password != null;
      if (!secured) {
        password = HexFormat.of().formatHex(new SecureRandom().generateSeed(18));
      }
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dir)
          .setCleanDataDirectory(false)
          .setServerConfig("listen_addresses", "127.0.0.1")
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setDataDirectoryCustomizer(data -> OrphanPostmaster.stopIfOrphaned(data.toPath()))
          .setRegisterShutdownHook(shutdownHook)
          .setConnectConfig("password", password);
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres postgres = builder.start();
      if (!secured) {
        secure(postgres, dir, password);
      }
      log.info("database: embedded PostgreSQL on 127.0.0.1:{} with data in {} (password in {})", postgres.getPort(),
          dir, dir.resolve(PASSWORD_FILE));
      return new EmbeddedPostgresServer(postgres, password);
    } catch (IOException | SQLException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start with data in " + dir
          + " (set DATABASE_URL to use a server of your own): " + e.getMessage(),
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  /** The password kept in {@code dataDir}, or null when it has none yet (a new data directory). */
  public static String readPassword(Path dataDir) throws IOException {
    Path file = dataDir.resolve(PASSWORD_FILE);
    return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
  }

  /**
   * First start of a data directory (initdb made it trust every local connection): set the password, keep it in a
   * 0600 file, then require it and reload. The file is written before pg_hba changes, so a crash in between never
   * locks us out.
   */
  private static void secure(EmbeddedPostgres postgres, Path dir, String password) throws IOException, SQLException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("ALTER USER postgres PASSWORD '" + password + "'");
      Path file = dir.resolve(PASSWORD_FILE);
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("pg_hba.conf"), SECURED_HBA, StandardCharsets.UTF_8);
      statement.execute("SELECT pg_reload_conf()");
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
  }

  public String user() {
    return "postgres";
  }

  public String password() {
    return password;
  }

  @Override
  public void start() {}

  @Override
  public void stop() throws IOException {
    long started = System.nanoTime();
    postgres.close();
    log.info("database: embedded PostgreSQL stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
  }
}
