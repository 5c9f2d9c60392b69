package dev.norns.whatsapp.activities.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** One send attempt. {@code state}: sending, accepted, retry or rejected (see the V2 migration). */
public record MessageRow(
    long id,
    UUID reminderId,
    String attemptKey,
    String sid,
    String channel,
    String toNumber,
    String state,
    String status,
    String errorCode,
    String errorMessage,
    String statusHistory,
    Instant createdAt,
    Instant updatedAt) {

  public static final String SENDING = "sending";
  public static final String ACCEPTED = "accepted";
  public static final String RETRY = "retry";
  public static final String REJECTED = "rejected";

  /**
   * Reads the columns of {@link MessageDao#COLUMNS}. Written out rather than JDBI's constructor mapper, which matches
   * columns to parameters by name again for every statement: message rows are read several times per send and per
   * status callback.
   */
  public static final class Mapper implements RowMapper<MessageRow> {
    @Override
    public MessageRow map(ResultSet rs, StatementContext ctx) throws SQLException {
      return new MessageRow(rs.getLong("id"), rs.getObject("reminder_id", UUID.class), rs.getString("attempt_key"),
          rs.getString("sid"), rs.getString("channel"), rs.getString("to_number"), rs.getString("state"),
          rs.getString("status"), rs.getString("error_code"), rs.getString("error_message"),
          rs.getString("status_history"), Timestamps.instant(rs.getTimestamp("created_at")),
          Timestamps.instant(rs.getTimestamp("updated_at")));
    }
  }
}
