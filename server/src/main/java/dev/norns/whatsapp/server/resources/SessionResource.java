package dev.norns.whatsapp.server.resources;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.activities.session.SessionWindow;
import dev.norns.whatsapp.activities.session.SessionWindows;
import dev.norns.whatsapp.server.errors.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/** The runbook's "check session window status", as an API: Redis first, PostgreSQL on a miss. */
@Path("/api/whatsapp/session")
@Produces(MediaType.APPLICATION_JSON)
public final class SessionResource {
  private final SessionWindows sessions;
  private final PhoneNumbers phones;

  public SessionResource(SessionWindows sessions, PhoneNumbers phones) {
    this.sessions = sessions;
    this.phones = phones;
  }

  public record SessionView(
      @JsonProperty("phone_number") String phoneNumber,
      @JsonProperty("status") String status,
      @JsonProperty("window_expires_at") Instant windowExpiresAt,
      @JsonProperty("last_inbound_at") Instant lastInboundAt,
      @JsonProperty("source") String source) {}

  @GET
  @Path("/{phone}")
  public SessionView session(@PathParam("phone") String phone) {
    String e164 = phones.normalize(phone).orElseThrow(() -> ApiException.invalid("phone",
        "'" + phone + "' is not a phone number"));
    SessionWindow window = sessions.lookup(e164);
    return new SessionView(e164, window.open() ? "IN_WINDOW" : "OUTSIDE_WINDOW", window.windowExpiresAt(),
        window.lastInboundAt(), window.source());
  }
}
