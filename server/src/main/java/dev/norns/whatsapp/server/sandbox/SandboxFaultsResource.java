package dev.norns.whatsapp.server.sandbox;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.server.errors.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sandbox's fault injection (sandbox mode only): {@code POST /sandbox/faults} adds a rule, {@code GET} lists them,
 * {@code DELETE} clears one or all. See {@link SandboxFaults.Kind} for what each fault does.
 */
@Path("/sandbox/faults")
@Produces(MediaType.APPLICATION_JSON)
public final class SandboxFaultsResource {
  private final SandboxFaults faults;
  private final PhoneNumbers phones;

  public SandboxFaultsResource(SandboxFaults faults, PhoneNumbers phones) {
    this.faults = faults;
    this.phones = phones;
  }

  /**
   * A rule: {@code kind} (429, 500, 503, timeout, 21211, 21610, 63016, 63024, delayed, duplicated, shuffled, never),
   * {@code to} (one number; absent: every send), {@code rate} (0–1, default 1), {@code count} (sends it hits; absent:
   * until cleared), {@code delay_seconds} (delayed callbacks, default 30).
   */
  public record FaultRequest(String kind, String to, Double rate, Integer count, Integer delaySeconds) {
    @JsonCreator
    public FaultRequest(@JsonProperty("kind") String kind, @JsonProperty("to") String to,
        @JsonProperty("rate") Double rate, @JsonProperty("count") Integer count,
        @JsonProperty("delay_seconds") Integer delaySeconds) {
      this.kind = kind;
      this.to = to;
      this.rate = rate;
      this.count = count;
      this.delaySeconds = delaySeconds;
    }
  }

  @GET
  public List<Map<String, Object>> list() {
    return faults.list().stream().map(SandboxFaultsResource::view).toList();
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response add(FaultRequest request) {
    if (request == null) {
      throw ApiException.invalid("kind", "a fault needs a kind: one of " + SandboxFaults.Kind.names());
    }
    SandboxFaults.Kind kind = SandboxFaults.Kind.of(request.kind()).orElseThrow(() -> ApiException.invalid("kind",
        "kind must be one of " + SandboxFaults.Kind.names()));
    String to = null;
    if (request.to() != null) {
      to = phones.normalize(request.to()).orElseThrow(() -> ApiException.invalid("to",
          "to must be a phone number, +E.164"));
    }
    double rate = request.rate() == null ? 1.0 : request.rate();
    if (!(rate > 0 && rate <= 1)) {
      throw ApiException.invalid("rate", "rate must be more than 0 and at most 1");
    }
    if (request.count() != null && request.count() < 1) {
      throw ApiException.invalid("count", "count must be at least 1 (leave it out for no limit)");
    }
    if (request.delaySeconds() != null && (request.delaySeconds() < 1 || request.delaySeconds() > 3600)) {
      throw ApiException.invalid("delay_seconds", "delay_seconds must be between 1 and 3600");
    }
    if (request.delaySeconds() != null && kind != SandboxFaults.Kind.CALLBACKS_DELAYED) {
      throw ApiException.invalid("delay_seconds", "delay_seconds is for delayed callbacks only");
    }
    SandboxFaults.Fault fault = faults.add(kind, to, rate, request.count(),
        request.delaySeconds() == null ? null : Duration.ofSeconds(request.delaySeconds()));
    return Response.status(201).entity(view(fault)).build();
  }

  @DELETE
  public Response clear() {
    faults.clear();
    return Response.noContent().build();
  }

  @DELETE
  @Path("/{id}")
  public Response remove(@PathParam("id") String id) {
    int number;
    try {
      number = Integer.parseInt(id);
    } catch (NumberFormatException e) {
      throw ApiException.notFound("id", "no fault " + id);
    }
    if (!faults.remove(number)) {
      throw ApiException.notFound("id", "no fault " + id);
    }
    return Response.noContent().build();
  }

  private static Map<String, Object> view(SandboxFaults.Fault fault) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", fault.id());
    json.put("kind", fault.kind().wire);
    json.put("to", fault.to());
    json.put("rate", fault.rate());
    json.put("remaining", fault.remaining());
    json.put("delay_seconds", fault.delay() == null ? null : fault.delay().toSeconds());
    return json;
  }
}
