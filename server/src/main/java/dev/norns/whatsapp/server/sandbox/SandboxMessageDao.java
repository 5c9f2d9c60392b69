package dev.norns.whatsapp.server.sandbox;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(SandboxMessage.class)
public interface SandboxMessageDao {

  @SqlUpdate("""
      INSERT INTO sandbox_messages (sid, account_sid, to_number, from_number, body, content_sid, content_variables,
                                    status, status_callback, created_at)
      VALUES (:sid, :accountSid, :toNumber, :fromNumber, :body, :contentSid, :contentVariables, :status,
              :statusCallback, :createdAt)""")
  void insert(@BindMethods SandboxMessage message);

  @SqlQuery("SELECT * FROM sandbox_messages WHERE sid = :sid")
  java.util.Optional<SandboxMessage> find(@Bind("sid") String sid);

  /** Accepted but not yet read: the callbacks still owed. */
  @SqlQuery("SELECT * FROM sandbox_messages WHERE status IN ('queued', 'sent', 'delivered') ORDER BY created_at")
  List<SandboxMessage> unfinished();

  @SqlUpdate("UPDATE sandbox_messages SET status = :status WHERE sid = :sid")
  void status(@Bind("sid") String sid, @Bind("status") String status);

  @SqlQuery("""
      SELECT * FROM sandbox_messages WHERE (CAST(:to AS text) IS NULL OR to_number = :to)
       ORDER BY created_at DESC, sid LIMIT :limit""")
  List<SandboxMessage> list(@Bind("to") String to, @Bind("limit") int limit);
}
