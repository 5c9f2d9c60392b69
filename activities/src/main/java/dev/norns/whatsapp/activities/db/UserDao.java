package dev.norns.whatsapp.activities.db;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(UserRow.class)
public interface UserDao {

  @SqlUpdate("""
      INSERT INTO users (id, display_name, email, phone_number, timezone)
      VALUES (:id, :displayName, :email, :phoneNumber, :timezone)""")
  void insert(@Bind("id") UUID id, @Bind("displayName") String displayName, @Bind("email") String email,
      @Bind("phoneNumber") String phoneNumber, @Bind("timezone") String timezone);

  @SqlQuery("SELECT * FROM users WHERE id = :id")
  Optional<UserRow> find(@Bind("id") UUID id);

  @SqlQuery("SELECT * FROM users WHERE phone_number = :phone")
  Optional<UserRow> findByPhone(@Bind("phone") String phoneNumber);

  @SqlQuery("SELECT * FROM users ORDER BY display_name, id LIMIT :limit")
  List<UserRow> list(@Bind("limit") int limit);

  /** STOP sets it (keeping the first time), START clears it. */
  @SqlUpdate("""
      UPDATE users SET opted_out_at = CASE WHEN :out THEN COALESCE(opted_out_at, now()) END, updated_at = now()
       WHERE id = :id""")
  int setOptedOut(@Bind("id") UUID id, @Bind("out") boolean optedOut);

  @SqlUpdate("""
      UPDATE users SET opted_out_at = COALESCE(opted_out_at, now()), updated_at = now() WHERE phone_number = :phone""")
  int optOutPhone(@Bind("phone") String phoneNumber);

  @SqlUpdate("UPDATE users SET phone_number = :phone, updated_at = now() WHERE id = :id")
  int updatePhone(@Bind("id") UUID id, @Bind("phone") String phoneNumber);
}
