package dev.norns.whatsapp.server.resources;

import dev.norns.whatsapp.server.warmup.WarmUp;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import com.codahale.metrics.annotation.Timed;
import dev.norns.whatsapp.activities.inbound.InboundJournal;
import dev.norns.whatsapp.activities.inbound.InboundMessage;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.server.core.InboundProcessor;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.server.security.TwilioWebhook;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Twilio's inbound-message webhook. It only checks the message and spools it durably, then answers empty TwiML: the
 * answer never waits for PostgreSQL, Redis or Temporal (Twilio gives up after 15 s and retries). Everything else —
 * storing, the session window, commands, the agent — happens after, from the spool.
 */
@Path("/whatsapp/webhook")
@TwilioWebhook
public final class InboundWebhookResource {
  private static final Logger log = LoggerFactory.getLogger(InboundWebhookResource.class);
  /** WhatsApp's longest text message. */
  static final int MAX_BODY = 4096;
  private static final int MAX_MEDIA = 10;

  private final InboundJournal journal;
  private final InboundJournal scratch;
  private final InboundProcessor processor;
  private final PhoneNumbers phones;
  private final Clock clock;

  /** {@code scratch}: where the instance's own warm-up webhooks are spooled (never processed). */
  public InboundWebhookResource(InboundJournal journal, InboundJournal scratch, InboundProcessor processor,
      PhoneNumbers phones, Clock clock) {
    this.journal = journal;
    this.scratch = scratch;
    this.processor = processor;
    this.phones = phones;
    this.clock = clock;
  }

  @POST
  @Timed(name = "whatsapp.webhook.inbound", absolute = true)
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_XML)
  public String inbound(MultivaluedMap<String, String> form, @Context HttpHeaders headers) {
    String sid = param(form, "MessageSid");
    if (!InboundJournal.isSid(sid)) {
      throw ApiException.invalid("MessageSid", "MessageSid is missing or not a Twilio SID");
    }
    String from = param(form, "From");
    if (from == null || !from.startsWith("whatsapp:") || phones.normalize(from).isEmpty()) {
      throw ApiException.invalid("From", "From must be a WhatsApp sender, whatsapp:+E164");
    }
    String body = param(form, "Body");
    if (body != null && body.codePointCount(0, body.length()) > MAX_BODY) {
      throw ApiException.invalid("Body", "Body is over WhatsApp's " + MAX_BODY + " characters");
    }
    InboundMessage message = new InboundMessage(sid, from, param(form, "To"), body == null ? "" : body,
        param(form, "ProfileName"), param(form, "WaId"), media(form), param(form, "ButtonPayload"),
        param(form, "ButtonText"), param(form, "OriginalRepliedMessageSid"), clock.instant());
    // The instance's own warm-up (an internal header, read here rather than declared: not part of the API).
    if (scratch != null && WarmUp.marks(headers.getHeaderString(WarmUp.HEADER))) {
      scratch.write(message);
      return StatusCallbackResource.EMPTY_TWIML;
    }
    journal.write(message);
    processor.wake();
    log.info("whatsapp webhook inbound sid={} from={} chars={} media={}", sid,
        PhoneNumbers.mask(from), message.body().length(), message.media().size());
    return StatusCallbackResource.EMPTY_TWIML;
  }

  private static List<InboundMessage.Media> media(MultivaluedMap<String, String> form) {
    int count;
    try {
      count = Math.max(0, Math.min(MAX_MEDIA, Integer.parseInt(param(form, "NumMedia"))));
    } catch (NumberFormatException | NullPointerException e) {
      count = 0;
    }
    List<InboundMessage.Media> media = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String url = param(form, "MediaUrl" + i);
      if (url != null) {
        media.add(new InboundMessage.Media(url, param(form, "MediaContentType" + i)));
      }
    }
    return media;
  }

  /** One parameter, with NUL characters (which PostgreSQL text cannot hold) replaced. */
  private static String param(MultivaluedMap<String, String> form, String name) {
    String value = form.getFirst(name);
    return value == null ? null : value.replace('\u0000', '\uFFFD');
  }
}
