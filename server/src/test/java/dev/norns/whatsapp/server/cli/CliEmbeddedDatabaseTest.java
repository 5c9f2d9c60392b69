package dev.norns.whatsapp.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.server.db.EmbeddedPostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default (no database.url): commands use the service's embedded PostgreSQL, or start one briefly. */
class CliEmbeddedDatabaseTest {
  @TempDir
  Path tmp;

  @Test
  void givenNoRunningService_whenUsingTheDbCommands_itShouldStartAndStopItsOwnEmbeddedServer() {
    Path data = tmp.resolve("postgres");
    String config = embeddedConfig(data);

    CliHarness.Result status = CliHarness.run("db", "status", config);
    CliHarness.Result migrate = CliHarness.run("db", "migrate", config);

    assertThat(status.succeeded()).as(status.err()).isTrue();
    assertThat(status.out()).containsPattern("(?m)^1 +users and sessions +Pending");
    assertThat(migrate.succeeded()).as(migrate.err()).isTrue();
    assertThat(migrate.out()).contains("15 migration(s) applied").containsPattern("(?m)^4 +inbound and opt out +Success")
        .containsPattern("(?m)^5 +send rate +Success").containsPattern("(?m)^15 +send flight +Success");
    assertThat(data.resolve("postmaster.pid")).doesNotExist();
  }

  @Test
  void givenTheServicesEmbeddedServerRunning_whenListingUsers_itShouldConnectToIt() throws IOException {
    Path data = tmp.resolve("postgres");
    String config = embeddedConfig(data);
    EmbeddedPostgresServer running = EmbeddedPostgresServer.start(data.toString(), 0);
    try {
      assertThat(CommandDatabase.runningPort(data)).isPresent();

      CliHarness.Result users = CliHarness.run("users", config);

      assertThat(users.succeeded()).as(users.err()).isTrue();
      assertThat(users.out()).contains("user_id", "(none)");
      assertThat(data.resolve("postmaster.pid")).exists();
    } finally {
      running.stop();
    }
  }

  @Test
  void givenANewDataDirectory_theServerNeedsTheGeneratedPassword_keptOwnerOnly_andWritesDurably() throws Exception {
    Path data = tmp.resolve("postgres");
    EmbeddedPostgresServer running = EmbeddedPostgresServer.start(data.toString(), 0);
    try {
      Path file = data.resolve(EmbeddedPostgresServer.PASSWORD_FILE);
      assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(
          java.nio.file.attribute.PosixFilePermission.OWNER_READ,
          java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
      assertThat(EmbeddedPostgresServer.readPassword(data)).isEqualTo(running.password()).hasSizeGreaterThan(20);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.sql.DriverManager.getConnection(
          running.jdbcUrl(), "postgres", "")).isInstanceOf(java.sql.SQLException.class);
      try (java.sql.Connection connection = java.sql.DriverManager.getConnection(running.jdbcUrl(), "postgres",
          running.password()); java.sql.Statement statement = connection.createStatement()) {
        for (String setting : new String[] {"fsync", "synchronous_commit"}) {
          java.sql.ResultSet result = statement.executeQuery("SHOW " + setting);
          result.next();
          assertThat(result.getString(1)).as(setting).isEqualTo("on");
        }
      }
    } finally {
      running.stop();
    }
    EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data.toString(), 0);
    again.stop();
  }

  @Test
  void givenAStalePidFile_itShouldNotBeTakenForARunningServer() throws IOException {
    Files.writeString(tmp.resolve("postmaster.pid"), "2147483646\n" + tmp + "\n1700000000\n5432\n");

    assertThat(CommandDatabase.runningPort(tmp)).isEmpty();
    assertThat(CommandDatabase.runningPort(tmp.resolve("missing"))).isEmpty();
  }

  private String embeddedConfig(Path data) {
    return CliHarness.config(tmp, Map.of("${DATABASE_URL:-}", "\"\"",
        "${EMBEDDED_POSTGRES_DIR:-./var/postgres}", data.toString())).toString();
  }
}
