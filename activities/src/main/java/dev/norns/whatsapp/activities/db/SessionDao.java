package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterConstructorMapper(SessionRow.class)
public interface SessionDao {

  @SqlQuery("SELECT * FROM whatsapp_sessions WHERE phone_number = :phone")
  Optional<SessionRow> find(@Bind("phone") String phoneNumber);

  /** Opens or refreshes the window and returns it; an older (retried or out-of-order) inbound never shortens it. */
  @SqlQuery("""
      INSERT INTO whatsapp_sessions (phone_number, last_inbound_at, window_expires_at)
      VALUES (:phone, :at, :expires)
      ON CONFLICT (phone_number) DO UPDATE
         SET last_inbound_at = GREATEST(whatsapp_sessions.last_inbound_at, EXCLUDED.last_inbound_at),
             window_expires_at = GREATEST(whatsapp_sessions.window_expires_at, EXCLUDED.window_expires_at)
      RETURNING phone_number, last_inbound_at, window_expires_at""")
  SessionRow recordInbound(@Bind("phone") String phoneNumber, @Bind("at") Instant at, @Bind("expires") Instant expires);
}
