package dev.norns.whatsapp.server.resources;

import dev.norns.whatsapp.server.api.Page;
import dev.norns.whatsapp.server.api.ReminderRequest;
import dev.norns.whatsapp.server.api.ReminderView;
import dev.norns.whatsapp.server.api.RescheduleRequest;
import dev.norns.whatsapp.server.core.ReminderRequests;
import dev.norns.whatsapp.server.core.ReminderService;
import dev.norns.whatsapp.server.core.SeriesService;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.server.api.validation.PageSize;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
  private static final int MAX_PAGE = 1000;

  private final ReminderService reminders;
  private final SeriesService series;

  public RemindersResource(ReminderService reminders, SeriesService series) {
    this.reminders = reminders;
    this.series = series;
  }

  /** 201 for a new reminder; 200 with the earlier one when the Idempotency-Key was used before. */
  @POST
  public Response schedule(ReminderRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
    if (request != null && request.recurrence() != null) {
      SeriesService.Created created = series.create(request, idempotencyKey);
      return Response.status(created.created() ? Response.Status.CREATED : Response.Status.OK)
          .entity(created.series()).build();
    }
    ReminderService.Scheduled scheduled = reminders.schedule(request, idempotencyKey);
    return Response.status(scheduled.created() ? Response.Status.CREATED : Response.Status.OK)
        .entity(scheduled.reminder()).build();
  }

  @GET
  @Path("/{id}")
  public ReminderView get(@PathParam("id") String id) {
    return reminders.get(ReminderRequests.uuid("reminder_id", id));
  }

  /** A page of reminders, latest due first; {@code next_cursor} fetches the next one (null at the end). */
  public record ReminderPage(@JsonProperty("reminders") List<ReminderView> reminders,
      @JsonProperty("next_cursor") String nextCursor) {}

  /**
   * Filters, each optional: {@code user_id}, {@code series_id}, {@code status} (several: repeated or comma-separated),
   * {@code due_from} (inclusive) and {@code due_to} (exclusive) as ISO-8601 date-times with an offset.
   */
  @GET
  public ReminderPage list(@QueryParam("user_id") String userId, @QueryParam("series_id") String seriesId,
      @QueryParam("status") List<String> status, @QueryParam("due_from") String dueFrom,
      @QueryParam("due_to") String dueTo,
      @QueryParam("limit") @DefaultValue("100") @PageSize(max = MAX_PAGE) int limit,
      @QueryParam("cursor") String cursor) {
    UUID user = userId == null || userId.isBlank() ? null : ReminderRequests.uuid("user_id", userId);
    UUID inSeries = seriesId == null || seriesId.isBlank() ? null : ReminderRequests.uuid("series_id", seriesId);
    List<ReminderStatus> statuses = status == null ? List.of() : status.stream()
        .flatMap(value -> Arrays.stream(value.split(","))).filter(value -> !value.isBlank())
        .map(RemindersResource::status).distinct().toList();
    Instant from = instant("due_from", dueFrom);
    Instant to = instant("due_to", dueTo);
    if (from != null && to != null && !from.isBefore(to)) {
      throw ApiException.invalid("due_to", "due_to must be after due_from");
    }
    Page<ReminderView> page = reminders.list(user, inSeries, statuses, from, to, limit, cursor);
    return new ReminderPage(page.items(), page.nextCursor());
  }

  private static Instant instant(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(field, "'" + value + "' is not an ISO-8601 date-time with an offset, "
          + "e.g. 2026-11-24T17:00:00Z");
    }
  }

  @DELETE
  @Path("/{id}")
  public ReminderView cancel(@PathParam("id") String id) {
    return reminders.cancel(ReminderRequests.uuid("reminder_id", id));
  }

  @POST
  @Path("/{id}/reschedule")
  public ReminderView reschedule(@PathParam("id") String id,
      @NotNull(message = "due_at is required") @Valid RescheduleRequest request) {
    UUID reminderId = ReminderRequests.uuid("reminder_id", id);
    return reminders.reschedule(reminderId, request.dueAt());
  }

  /** Changes text, variables or template of a reminder not sent yet (same fields as creating one). */
  @PATCH
  @Path("/{id}")
  public ReminderView edit(@PathParam("id") String id, ReminderRequest change) {
    return reminders.edit(ReminderRequests.uuid("reminder_id", id), change);
  }

  static ReminderStatus status(String value) {
    return ApiException.choice("status", value, ReminderStatus.class);
  }
}
