package dev.norns.whatsapp.server.resources;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import dev.norns.whatsapp.server.core.TemplateSync;
import dev.norns.whatsapp.server.errors.DependencyUnavailableException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The template sync from Twilio's Content API: {@code POST} reads Twilio now and answers each configured template
 * beside what Twilio says of it (approved? as many variables?) and the approved templates not configured yet;
 * {@code GET} answers the last sync without calling Twilio.
 */
@Path("/api/whatsapp/templates/sync")
@Produces(MediaType.APPLICATION_JSON)
public final class TemplateSyncResource {
  private static final Logger log = LoggerFactory.getLogger(TemplateSyncResource.class);
  private final TemplateSync sync;

  public TemplateSyncResource(TemplateSync sync) {
    this.sync = sync;
  }

  @POST
  public TemplateSync.Report sync() {
    try {
      return sync.sync();
    } catch (ApiConnectionException silent) {
      log.warn("whatsapp templates sync: Twilio did not answer: {}", silent.getMessage());
      throw new DependencyUnavailableException("Twilio", "Twilio's Content API did not answer; try again");
    } catch (ApiException refused) {
      log.warn("whatsapp templates sync: Twilio refused: {} {}", refused.getCode(), refused.getMessage());
      throw new dev.norns.whatsapp.server.errors.ApiException(502, null, "Twilio's Content API refused: "
          + (refused.getCode() == null ? "" : refused.getCode() + " ") + refused.getMessage());
    }
  }

  @GET
  public TemplateSync.Report last() {
    return sync.last().orElseThrow(() -> dev.norns.whatsapp.server.errors.ApiException.notFound(null,
        "no templates sync yet: POST /api/whatsapp/templates/sync"));
  }
}
