package dev.norns.whatsapp.activities.testing;

import dev.norns.whatsapp.activities.db.Database;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, migrated database on the machine's real PostgreSQL (127.0.0.1:5432, trust auth), dropped on close. Fails
 * loudly when PostgreSQL is not running: tests never skip silently.
 */
public final class TestDatabase implements AutoCloseable {
  public static final String HOST_URL = "jdbc:postgresql://127.0.0.1:5432/";
  private static final String USER = System.getenv().getOrDefault("TEST_DATABASE_USER", "postgres");

  private final String name;
  private final PGSimpleDataSource dataSource;
  private final Jdbi jdbi;

  private TestDatabase(String name) {
    this.name = name;
    this.dataSource = new PGSimpleDataSource();
    dataSource.setUrl(url());
    dataSource.setUser(USER);
    Database.migrate(dataSource);
    this.jdbi = Database.jdbi(dataSource);
  }

  public static TestDatabase create() {
    String name = "norns_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
        .toLowerCase(Locale.ROOT);
    admin("CREATE DATABASE " + name);
    return new TestDatabase(name);
  }

  public String url() {
    return HOST_URL + name;
  }

  public String user() {
    return USER;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  private static void admin(String sql) {
    try (Connection connection = DriverManager.getConnection(HOST_URL + "postgres", USER, "")) {
      connection.createStatement().execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is needed for this test (.ci/run starts it): "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
