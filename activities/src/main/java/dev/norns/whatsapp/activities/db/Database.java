package dev.norns.whatsapp.activities.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefinedAttributeTemplateEngine;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/** Schema migrations (Flyway, {@code db/migration}) and the JDBI handle factory. */
public final class Database {
  private Database() {}

  public static MigrateResult migrate(DataSource dataSource) {
    return flyway(dataSource).migrate();
  }

  public static Flyway flyway(DataSource dataSource) {
    return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
  }

  public static Jdbi jdbi(DataSource dataSource) {
    return configure(Jdbi.create(dataSource));
  }

  public static Jdbi configure(Jdbi jdbi) {
    jdbi.installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    // Exception messages never carry the statement's arguments (phone numbers, message text): they are logged. JDBI
    // has no "statement without arguments" rendering, so none; the stack trace names the DAO method.
    // Statements parsed once and named by their SQL object method (replaces Dropwizard's uncached name-prepending
    // engine, see NamedStatements).
    jdbi.getConfig(SqlStatements.class).setTemplateEngine(new NamedStatements(new DefinedAttributeTemplateEngine()));
    jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.NONE);
    return jdbi;
  }
}
