package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(InboundMessageRow.class)
public interface InboundMessageDao {
  String COLUMNS = """
      sid, user_id, from_number, profile_name, body, media::text AS media, button_payload, button_text,
      replied_to_sid, received_at, interpretation, reminder_id, processed_at""";

  /** Stores a message once; false when its SID is already stored (Twilio retried the webhook). */
  @SqlUpdate("""
      INSERT INTO inbound_messages (sid, user_id, from_number, profile_name, body, media, button_payload,
                                    button_text, replied_to_sid, received_at)
      VALUES (:sid, :userId, :from, :profileName, :body, CAST(:media AS jsonb), :buttonPayload, :buttonText,
              :repliedToSid, :receivedAt)
      ON CONFLICT (sid) DO NOTHING""")
  boolean insert(@Bind("sid") String sid, @Bind("userId") UUID userId, @Bind("from") String from,
      @Bind("profileName") String profileName, @Bind("body") String body, @Bind("media") String mediaJson,
      @Bind("buttonPayload") String buttonPayload, @Bind("buttonText") String buttonText,
      @Bind("repliedToSid") String repliedToSid, @Bind("receivedAt") Instant receivedAt);

  @SqlQuery("SELECT " + COLUMNS + " FROM inbound_messages WHERE sid = :sid")
  Optional<InboundMessageRow> find(@Bind("sid") String sid);

  @SqlQuery("SELECT " + COLUMNS + " FROM inbound_messages WHERE processed_at IS NULL ORDER BY received_at LIMIT 1000")
  List<InboundMessageRow> unprocessed();

  @SqlUpdate("""
      UPDATE inbound_messages SET processed_at = COALESCE(processed_at, now()), interpretation = :interpretation,
             reminder_id = :reminderId
       WHERE sid = :sid""")
  void markProcessed(@Bind("sid") String sid, @Bind("interpretation") String interpretation,
      @Bind("reminderId") UUID reminderId);
}
