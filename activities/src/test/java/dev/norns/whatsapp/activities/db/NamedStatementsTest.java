package dev.norns.whatsapp.activities.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What PostgreSQL receives from the service's JDBI: statements named by their SQL object method, defines intact. */
class NamedStatementsTest {
  private static TestDatabase db;

  interface Probe {
    @SqlQuery("SELECT current_query()")
    String seenByPostgres();

    @SqlQuery("SELECT <what>")
    String select(@Define("what") String what);
  }

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void tearDown() {
    db.close();
  }

  @Test
  void aSqlObjectStatementReachesPostgresNamedByItsMethod() {
    String seen = db.jdbi().withExtension(Probe.class, Probe::seenByPostgres);

    assertThat(seen).isEqualTo("/* Probe.seenByPostgres */ SELECT current_query()");
  }

  @Test
  void theNameIsTheCallingMethodsEachTimeTheSameTextRuns() {
    // The same SQL parsed once and cached: the name still follows the method, and a define still renders each time.
    String first = db.jdbi().withExtension(Probe.class, p -> p.select("current_query()"));
    String second = db.jdbi().withExtension(Probe.class, p -> p.select("current_query() || '!'"));

    assertThat(first).isEqualTo("/* Probe.select */ SELECT current_query()");
    assertThat(second).isEqualTo("/* Probe.select */ SELECT current_query() || '!'!");
  }

  @Test
  void aStatementOutsideSqlObjectsIsSentAsWritten() {
    String seen = db.jdbi().withHandle(h -> h.createQuery("SELECT current_query()").mapTo(String.class).one());

    assertThat(seen).isEqualTo("SELECT current_query()");
  }
}
