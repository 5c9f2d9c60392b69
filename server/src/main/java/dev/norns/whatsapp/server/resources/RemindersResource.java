package dev.norns.whatsapp.server.resources;

import dev.norns.whatsapp.server.api.ReminderRequest;
import dev.norns.whatsapp.server.api.ReminderView;
import dev.norns.whatsapp.server.api.RescheduleRequest;
import dev.norns.whatsapp.server.core.ReminderRequests;
import dev.norns.whatsapp.server.core.ReminderService;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

@Path("/api/reminders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class RemindersResource {
  private final ReminderService reminders;

  public RemindersResource(ReminderService reminders) {
    this.reminders = reminders;
  }

  /** 201 for a new reminder; 200 with the earlier one when the Idempotency-Key was used before. */
  @POST
  public Response schedule(ReminderRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
    ReminderService.Scheduled scheduled = reminders.schedule(request, idempotencyKey);
    return Response.status(scheduled.created() ? Response.Status.CREATED : Response.Status.OK)
        .entity(scheduled.reminder()).build();
  }

  @GET
  @Path("/{id}")
  public ReminderView get(@PathParam("id") String id) {
    return reminders.get(ReminderRequests.uuid("reminder_id", id));
  }

  @GET
  public List<ReminderView> list(@QueryParam("user_id") String userId, @QueryParam("status") String status,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    UUID user = userId == null || userId.isBlank() ? null : ReminderRequests.uuid("user_id", userId);
    return reminders.list(user, status(status), Math.max(1, Math.min(limit, 1000)));
  }

  @DELETE
  @Path("/{id}")
  public ReminderView cancel(@PathParam("id") String id) {
    return reminders.cancel(ReminderRequests.uuid("reminder_id", id));
  }

  @POST
  @Path("/{id}/reschedule")
  public ReminderView reschedule(@PathParam("id") String id, RescheduleRequest request) {
    UUID reminderId = ReminderRequests.uuid("reminder_id", id);
    return reminders.reschedule(reminderId, request == null ? null : request.dueAt());
  }

  /** Changes text, variables or template of a reminder not sent yet (same fields as creating one). */
  @PATCH
  @Path("/{id}")
  public ReminderView edit(@PathParam("id") String id, ReminderRequest change) {
    return reminders.edit(ReminderRequests.uuid("reminder_id", id), change);
  }

  static ReminderStatus status(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return ReminderStatus.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("status", "'" + value + "' is not one of "
          + Arrays.toString(ReminderStatus.values()));
    }
  }
}
