package dev.norns.whatsapp.server.resources;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.session.SessionWindow;
import dev.norns.whatsapp.activities.session.SessionWindows;
import dev.norns.whatsapp.server.api.MessageView;
import dev.norns.whatsapp.server.api.UserPatch;
import dev.norns.whatsapp.server.core.ReminderService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.server.api.Page;
import dev.norns.whatsapp.server.api.PageCursor;
import dev.norns.whatsapp.server.api.QuietHoursSetting;
import dev.norns.whatsapp.workflows.model.QuietHours;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.server.api.PhoneRequest;
import dev.norns.whatsapp.server.api.UserRequest;
import dev.norns.whatsapp.server.api.UserView;
import dev.norns.whatsapp.server.core.ReminderRequests;
import dev.norns.whatsapp.server.core.SeriesService;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.server.api.validation.PageSize;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Users and their WhatsApp numbers: the runbook's psql UPDATE, as an API. */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class UsersResource {
  private static final Logger log = LoggerFactory.getLogger(UsersResource.class);
  private static final int MAX_PAGE = 200;
  private static final String HISTORY = """
      SELECT * FROM (
        SELECT 'out' AS direction, m.created_at AS at, 'o' || lpad(m.id::text, 20, '0') AS sort_key, m.sid,
               m.reminder_id, m.channel, COALESCE(m.status, m.state) AS status, m.error_code, m.error_message,
               NULL AS body
          FROM messages m JOIN reminders r ON r.id = m.reminder_id WHERE r.user_id = :user
        UNION ALL
        SELECT 'out', m.created_at, 'o' || lpad(m.id::text, 20, '0'), m.sid, NULL, m.channel,
               COALESCE(m.status, m.state), m.error_code, m.error_message, NULL
          FROM messages m WHERE m.reminder_id IS NULL AND m.to_number = :phone
        UNION ALL
        SELECT 'in', i.received_at, 'i' || i.sid, i.sid, i.reminder_id, 'whatsapp', 'received', NULL, NULL, i.body
          FROM inbound_messages i WHERE i.user_id = :user
      ) h
      WHERE (CAST(:at AS timestamptz) IS NULL OR (h.at, h.sort_key) < (CAST(:at AS timestamptz), :key))
      ORDER BY h.at DESC, h.sort_key DESC LIMIT :limit""";

  private final Jdbi jdbi;
  private final PhoneNumbers phones;
  private final SessionWindows sessions;
  private final ReminderService reminders;
  private final SeriesService series;

  public UsersResource(Jdbi jdbi, PhoneNumbers phones, SessionWindows sessions, ReminderService reminders,
      SeriesService series) {
    this.series = series;
    this.jdbi = jdbi;
    this.phones = phones;
    this.sessions = sessions;
    this.reminders = reminders;
  }

  /** A page of a user's messages, newest first; {@code next_cursor} fetches the next one (null at the end). */
  public record MessagePage(@JsonProperty("messages") List<MessageView> messages,
      @JsonProperty("next_cursor") String nextCursor) {}

  @POST
  public Response create(@NotNull(message = "a JSON body is required") @Valid UserRequest request) {
    String name = displayName(request.displayName());
    String email = email(request.email());
    String phone = request.phoneNumber() == null ? null : phone(request.phoneNumber());
    String timezone = timezone(request.timezone());
    UUID id = UUID.randomUUID();
    QuietSetting quiet = quietHours(request.quietHours(), null);
    insertUnique(phone, () -> jdbi.useTransaction(h -> {
      h.attach(UserDao.class).insert(id, name, email, phone, timezone);
      if (quiet != null) {
        h.attach(UserDao.class).setQuietHours(id, quiet.start(), quiet.end(), quiet.off());
      }
    }));
    return Response.status(Response.Status.CREATED).entity(UserView.of(find(id))).build();
  }

  /** Users, or with {@code phone} the user with that number, written any common way ("+44 7911 123456", "07911…"). */
  @GET
  public UserPage list(@QueryParam("limit") @DefaultValue("100") @PageSize(max = 1000) int limit,
      @QueryParam("phone") String phone,
      @QueryParam("cursor") String cursor) {
    if (phone != null) {
      String normalized = phones.normalize(phone).orElseThrow(() -> ApiException.invalid("phone",
          "'" + phone + "' is not a phone number"));
      return new UserPage(jdbi.withExtension(UserDao.class, dao -> dao.findByPhone(normalized)).stream()
          .map(UserView::of).toList(), null);
    }
    PageCursor after = PageCursor.parse(cursor);
    List<UserRow> rows = jdbi.withExtension(UserDao.class, dao -> dao.page(after == null ? null : after.at(),
        after == null ? null : after.id(), limit + 1));
    Page<UserView> page = Page.of(rows, limit, row -> new PageCursor(row.createdAt(), row.id().toString()),
        UserView::of);
    return new UserPage(page.items(), page.nextCursor());
  }

  /** A page of users, newest first; {@code next_cursor} fetches the next one (null at the end). */
  public record UserPage(@JsonProperty("users") List<UserView> users, @JsonProperty("next_cursor") String nextCursor) {}

  /** One user, with opt-out state and their session window as it stands now. */
  @GET
  @Path("/{id}")
  public UserView get(@PathParam("id") String id) {
    UserRow row = find(ReminderRequests.uuid("user_id", id));
    UserView view = UserView.of(row);
    if (row.phoneNumber() == null) {
      return view;
    }
    SessionWindow window = sessions.lookup(row.phoneNumber());
    return view.withWindow(window.open(), window.windowExpiresAt());
  }

  /** Changes what the request gives (display name, email, phone, time zone), validated as at creation. */
  @PATCH
  @Path("/{id}")
  public UserView update(@PathParam("id") String id, @Valid UserPatch patch) {
    UUID userId = ReminderRequests.uuid("user_id", id);
    UserRow row = find(userId);
    if (row.erasedAt() != null) {
      throw ApiException.conflict("user_id", "user " + userId + " was erased at " + row.erasedAt());
    }
    if (patch == null || patch.empty()) {
      throw ApiException.invalid(null, "nothing to change: give display_name, email, phone_number, timezone or "
          + "quiet_hours");
    }
    String name = patch.displayName() == null ? row.displayName() : displayName(patch.displayName());
    String email = patch.email() == null ? row.email() : email(patch.email());
    String phone = patch.phoneNumber() == null ? row.phoneNumber() : phone(patch.phoneNumber());
    String timezone = patch.timezone() == null ? row.timezone() : timezone(patch.timezone());
    QuietSetting quiet = quietHours(patch.quietHours(), row);
    insertUnique(phone, () -> jdbi.useTransaction(h -> {
      h.attach(UserDao.class).update(userId, name, email, phone, timezone);
      if (quiet != null) {
        h.attach(UserDao.class).setQuietHours(userId, quiet.start(), quiet.end(), quiet.off());
      }
    }));
    return get(userId.toString());
  }

  /**
   * Erases the user: their reminders still running are cancelled (409 while one is being sent: try again in a few
   * seconds), their reminders' workflows are deleted from Temporal, and their personal data goes from PostgreSQL and
   * the Redis cache. The row stays as a tombstone (see the README for what is kept and why). Idempotent.
   */
  @DELETE
  @Path("/{id}")
  public Response erase(@PathParam("id") String id) {
    UUID userId = ReminderRequests.uuid("user_id", id);
    UserRow row = find(userId);
    if (row.erasedAt() == null) {
      series.forgetUser(userId);
      reminders.forgetUser(userId);
      jdbi.useExtension(UserDao.class, dao -> dao.erase(userId));
      if (row.phoneNumber() != null) {
        sessions.forget(row.phoneNumber());
      }
      log.info("whatsapp user {} erased (resolve_user will no longer find phone {})", userId,
          PhoneNumbers.mask(row.phoneNumber()));
    }
    return Response.noContent().build();
  }

  @PUT
  @Path("/{id}/phone")
  public UserView updatePhone(@PathParam("id") String id,
      @NotNull(message = "phone_number is required") @Valid PhoneRequest request) {
    UUID userId = ReminderRequests.uuid("user_id", id);
    find(userId);
    String phone = phone(request.phoneNumber());
    insertUnique(phone, () -> jdbi.useExtension(UserDao.class, dao -> dao.updatePhone(userId, phone)));
    return UserView.of(find(userId));
  }

  /** What was sent to the user and what they wrote, newest first, a page at a time. */
  @GET
  @Path("/{id}/messages")
  public MessagePage messages(@PathParam("id") String id, @QueryParam("limit") @DefaultValue("50")
      @PageSize(max = MAX_PAGE) int limit,
      @QueryParam("cursor") String cursor) {
    UUID userId = ReminderRequests.uuid("user_id", id);
    UserRow row = find(userId);
    PageCursor after = PageCursor.parse(cursor);
    record Entry(MessageView view, PageCursor position) {}
    List<Entry> rows = jdbi.withHandle(h -> h.createQuery(HISTORY).bind("user", userId)
        .bind("phone", row.phoneNumber() == null ? "" : row.phoneNumber())
        .bind("at", after == null ? null : after.at().atOffset(ZoneOffset.UTC))
        .bind("key", after == null ? "" : after.key()).bind("limit", limit + 1)
        .map((rs, ctx) -> {
          Instant at = rs.getTimestamp("at").toInstant();
          return new Entry(new MessageView(rs.getString("direction"), at, rs.getString("sid"),
              rs.getString("reminder_id"), rs.getString("channel"), rs.getString("status"),
              rs.getString("error_code"), rs.getString("error_message"), rs.getString("body")),
              new PageCursor(at, rs.getString("sort_key")));
        }).list());
    Page<MessageView> page = Page.of(rows, limit, Entry::position, Entry::view);
    return new MessagePage(page.items(), page.nextCursor());
  }

  /** The request records' constraints checked the shape; these normalise what is stored. */
  private static String displayName(String raw) {
    return raw.strip();
  }

  /** An email address, or null for none (blank). */
  private static String email(String raw) {
    return raw == null || raw.isBlank() ? null : raw.strip();
  }

  private String phone(String raw) {
    if (raw == null || raw.isBlank()) {
      throw ApiException.invalid("phone_number", "phone_number is required");
    }
    return phones.normalize(raw).orElseThrow(() -> ApiException.invalid("phone_number",
        "'" + raw + "' is not a valid phone number (use E.164, e.g. +14155550100)"));
  }

  private static String timezone(String zone) {
    return zone == null || zone.isBlank() ? "UTC" : ZoneId.of(zone.strip()).getId();
  }

  /** What to store for quiet hours: start/end (null: the default), or off. */
  private record QuietSetting(String start, String end, boolean off) {}

  /**
   * The quiet hours a request sets, merged onto the user's ({@code row}, null for a new user); null when the request
   * does not touch them.
   */
  private static QuietSetting quietHours(QuietHoursSetting setting, UserRow row) {
    if (setting == null) {
      return null;
    }
    if (Boolean.FALSE.equals(setting.enabled())) {
      if (setting.start() != null || setting.end() != null) {
        throw ApiException.invalid("quiet_hours", "quiet_hours: give start and end, or enabled false, not both");
      }
      return new QuietSetting(row == null ? null : row.quietHoursStart(), row == null ? null : row.quietHoursEnd(),
          true);
    }
    if (setting.start() == null && setting.end() == null) {
      if (setting.enabled() == null) {
        throw ApiException.invalid("quiet_hours", "quiet_hours needs start and end (HH:mm), or enabled");
      }
      return new QuietSetting(row == null ? null : row.quietHoursStart(), row == null ? null : row.quietHoursEnd(),
          false);
    }
    String start = setting.start() != null ? setting.start().strip()
        : row != null && row.quietHoursStart() != null ? row.quietHoursStart() : QuietHours.DEFAULT_START;
    String end = setting.end() != null ? setting.end().strip()
        : row != null && row.quietHoursEnd() != null ? row.quietHoursEnd() : QuietHours.DEFAULT_END;
    if (start.equals(end)) {
      throw ApiException.invalid("quiet_hours", "quiet hours start and end at the same time; to turn them off, "
          + "give enabled false");
    }
    return new QuietSetting(start, end, false);
  }

  private static void insertUnique(String phone, Runnable write) {
    try {
      write.run();
    } catch (UnableToExecuteStatementException e) {
      if (e.getMessage() != null && e.getMessage().contains("users_phone_number_key")) {
        throw ApiException.conflict("phone_number", "another user already has " + phone);
      }
      throw e;
    }
  }

  private UserRow find(UUID id) {
    return jdbi.withExtension(UserDao.class, dao -> dao.find(id))
        .orElseThrow(() -> ApiException.notFound("user_id", "no user " + id));
  }
}
