package dev.norns.whatsapp.server.resources;

import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.server.api.PhoneRequest;
import dev.norns.whatsapp.server.api.UserRequest;
import dev.norns.whatsapp.server.api.UserView;
import dev.norns.whatsapp.server.core.ReminderRequests;
import dev.norns.whatsapp.server.errors.ApiException;
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
import java.time.DateTimeException;
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
  private final Jdbi jdbi;
  private final PhoneNumbers phones;

  public UsersResource(Jdbi jdbi, PhoneNumbers phones) {
    this.jdbi = jdbi;
    this.phones = phones;
  }

  @POST
  public Response create(UserRequest request) {
    if (request == null) {
      throw ApiException.invalid(null, "a JSON body is required");
    }
    String name = request.displayName() == null ? "" : request.displayName().strip();
    if (name.isEmpty() || name.length() > 200) {
      throw ApiException.invalid("display_name", "display_name is required (at most 200 characters)");
    }
    String email = request.email() == null || request.email().isBlank() ? null : request.email().strip();
    if (email != null && (email.length() > 320 || !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"))) {
      throw ApiException.invalid("email", "'" + email + "' is not an email address");
    }
    String phone = request.phoneNumber() == null ? null : phone(request.phoneNumber());
    String timezone = timezone(request.timezone());
    UUID id = UUID.randomUUID();
    insertUnique(phone, () -> jdbi.useExtension(UserDao.class, dao -> dao.insert(id, name, email, phone, timezone)));
    return Response.status(Response.Status.CREATED).entity(UserView.of(find(id))).build();
  }

  @GET
  public List<UserView> list(@QueryParam("limit") @DefaultValue("100") int limit) {
    return jdbi.withExtension(UserDao.class, dao -> dao.list(Math.max(1, Math.min(limit, 1000)))).stream()
        .map(UserView::of).toList();
  }

  @GET
  @Path("/{id}")
  public UserView get(@PathParam("id") String id) {
    return UserView.of(find(ReminderRequests.uuid("user_id", id)));
  }

  @PUT
  @Path("/{id}/phone")
  public UserView updatePhone(@PathParam("id") String id, PhoneRequest request) {
    UUID userId = ReminderRequests.uuid("user_id", id);
    find(userId);
    String phone = phone(request == null ? null : request.phoneNumber());
    insertUnique(phone, () -> jdbi.useExtension(UserDao.class, dao -> dao.updatePhone(userId, phone)));
    return UserView.of(find(userId));
  }

  private String phone(String raw) {
    if (raw == null || raw.isBlank()) {
      throw ApiException.invalid("phone_number", "phone_number is required");
    }
    return phones.normalize(raw).orElseThrow(() -> ApiException.invalid("phone_number",
        "'" + raw + "' is not a valid phone number (use E.164, e.g. +14155550100)"));
  }

  private static String timezone(String zone) {
    if (zone == null || zone.isBlank()) {
      return "UTC";
    }
    try {
      return ZoneId.of(zone.strip()).getId();
    } catch (DateTimeException e) {
      throw ApiException.invalid("timezone", "'" + zone + "' is not an IANA time zone (e.g. Europe/Oslo)");
    }
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
