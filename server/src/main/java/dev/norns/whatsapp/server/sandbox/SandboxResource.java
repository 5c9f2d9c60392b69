package dev.norns.whatsapp.server.sandbox;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** What the sandbox accepted, newest first: the sandbox's answer to the runbook's "twilio messages:list". */
@Path("/sandbox")
@Produces(MediaType.APPLICATION_JSON)
public final class SandboxResource {
  private final Jdbi jdbi;

  public SandboxResource(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @GET
  @Path("/messages")
  public List<SandboxMessage> messages(@QueryParam("to") String to,
      @QueryParam("limit") @DefaultValue("100") int limit) {
    String filter = to == null || to.isBlank() ? null : whatsappAddress(to.strip());
    return jdbi.withExtension(SandboxMessageDao.class, dao -> dao.list(filter, Math.max(1, Math.min(limit, 1000))));
  }

  /** A "+" in a query string arrives as a space, so "?to=+1415…" is accepted as well as "?to=%2B1415…". */
  private static String whatsappAddress(String to) {
    if (to.startsWith("whatsapp:")) {
      return to;
    }
    return "whatsapp:" + (to.startsWith("+") ? to : "+" + to);
  }
}
