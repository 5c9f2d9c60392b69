package dev.norns.whatsapp.server.resources;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.server.api.Page;
import dev.norns.whatsapp.server.api.SeriesPatch;
import dev.norns.whatsapp.server.api.SeriesView;
import dev.norns.whatsapp.server.core.ReminderRequests;
import dev.norns.whatsapp.server.core.SeriesService;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.workflows.series.SeriesState;
import dev.norns.whatsapp.server.api.validation.PageSize;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;

/**
 * Recurring reminders (created with {@code "recurrence"} on {@code POST /api/reminders}): list, look at, pause,
 * resume, edit from the next occurrence on, cancel. Each occurrence is a reminder ({@code GET
 * /api/reminders?series_id=}).
 */
@Path("/api/series")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class SeriesResource {
  private static final int MAX_PAGE = 200;

  private final SeriesService series;

  public SeriesResource(SeriesService series) {
    this.series = series;
  }

  /** A page of series, newest first; {@code next_cursor} fetches the next (null at the end). */
  public record SeriesPage(@JsonProperty("series") List<SeriesView> series,
      @JsonProperty("next_cursor") String nextCursor) {}

  @GET
  public SeriesPage list(@QueryParam("user_id") String userId, @QueryParam("status") String status,
      @QueryParam("limit") @DefaultValue("50") @PageSize(max = MAX_PAGE) int limit,
      @QueryParam("cursor") String cursor) {
    UUID user = userId == null || userId.isBlank() ? null : ReminderRequests.uuid("user_id", userId);
    Page<SeriesView> page = series.list(user, status == null || status.isBlank() ? null
        : ApiException.choice("status", status, SeriesState.Status.class).name(), limit, cursor);
    return new SeriesPage(page.items(), page.nextCursor());
  }

  @GET
  @Path("/{id}")
  public SeriesView get(@PathParam("id") String id) {
    return series.get(ReminderRequests.uuid("series_id", id));
  }

  /** Changes the rule, template, variables or body from the next occurrence on. */
  @PATCH
  @Path("/{id}")
  public SeriesView edit(@PathParam("id") String id, SeriesPatch patch) {
    return series.edit(ReminderRequests.uuid("series_id", id), patch);
  }

  @POST
  @Path("/{id}/pause")
  public SeriesView pause(@PathParam("id") String id) {
    return series.pause(ReminderRequests.uuid("series_id", id));
  }

  @POST
  @Path("/{id}/resume")
  public SeriesView resume(@PathParam("id") String id) {
    return series.resume(ReminderRequests.uuid("series_id", id));
  }

  @DELETE
  @Path("/{id}")
  public SeriesView cancel(@PathParam("id") String id) {
    return series.cancel(ReminderRequests.uuid("series_id", id));
  }
}
