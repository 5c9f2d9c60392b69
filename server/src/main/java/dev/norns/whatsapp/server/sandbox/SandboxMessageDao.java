package dev.norns.whatsapp.server.sandbox;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterConstructorMapper(SandboxMessage.class)
public interface SandboxMessageDao {

  /**
   * Stores an accepted message. This and {@link #status} run per message and per callback, so they are plain
   * statements: attaching the SQL object builds a handler for each of its methods every time.
   */
  static void insert(Jdbi jdbi, SandboxMessage message) {
    jdbi.useHandle(h -> h.createUpdate("""
        INSERT INTO sandbox_messages (sid, account_sid, to_number, from_number, body, content_sid, content_variables,
                                      status, status_callback, created_at)
        VALUES (:sid, :accountSid, :toNumber, :fromNumber, :body, :contentSid, :contentVariables, :status,
                :statusCallback, :createdAt)""").bindMethods(message).execute());
  }

  @SqlQuery("SELECT * FROM sandbox_messages WHERE sid = :sid")
  java.util.Optional<SandboxMessage> find(@Bind("sid") String sid);

  /** Accepted but not yet read: the callbacks still owed. */
  @SqlQuery("SELECT * FROM sandbox_messages WHERE status IN ('queued', 'sent', 'delivered') ORDER BY created_at")
  List<SandboxMessage> unfinished();

  static void status(Jdbi jdbi, String sid, String status) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE sandbox_messages SET status = :status WHERE sid = :sid")
        .bind("sid", sid).bind("status", status).execute());
  }

  @SqlQuery("""
      SELECT * FROM sandbox_messages WHERE (CAST(:to AS text) IS NULL OR to_number = :to)
       ORDER BY created_at DESC, sid LIMIT :limit""")
  List<SandboxMessage> list(@Bind("to") String to, @Bind("limit") int limit);
}
