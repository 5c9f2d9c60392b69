package dev.norns.whatsapp.server.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.activities.session.SessionWindows;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.jdbi.v3.core.Jdbi;
import dev.norns.whatsapp.server.security.TwilioAccountAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Messages API as twilio-java calls it, for running without a Twilio account: same path, basic auth, form
 * parameters, JSON answers and error codes (21211 bad To, 63016 freeform outside the session window, 21619 nothing to
 * send, 21656 bad ContentVariables, 20003 wrong credentials). Accepted messages are kept in PostgreSQL and progress
 * through signed status callbacks.
 */
@Path("/2010-04-01/Accounts/{accountSid}")
@TwilioAccountAuth
public final class SandboxTwilioResource {
  private static final Logger log = LoggerFactory.getLogger(SandboxTwilioResource.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SandboxAccount account;
  private final Jdbi jdbi;
  private final SessionWindows sessions;
  private final PhoneNumbers phones;
  private final SandboxCallbacks callbacks;
  private final SandboxFaults faults;
  private final Duration latency;
  private final Duration answerHold;
  private final TemplateRegistry templates;
  private final Clock clock;

  /**
   * @param latency how long a send takes before the sandbox acts on it and answers, as Twilio's API does (zero: at
   *     once)
   * @param answerHold how long a {@code timeout} fault holds the answer of an accepted message: longer than the
   *     client's request timeout, so the client gives up not knowing that Twilio took it
   */
  public SandboxTwilioResource(SandboxAccount account, Jdbi jdbi, SessionWindows sessions, PhoneNumbers phones,
      SandboxCallbacks callbacks, SandboxFaults faults, Duration latency, Duration answerHold,
      TemplateRegistry templates, Clock clock) {
    this.templates = templates;
    this.faults = faults;
    this.latency = latency;
    this.answerHold = answerHold;
    this.account = account;
    this.jdbi = jdbi;
    this.sessions = sessions;
    this.phones = phones;
    this.callbacks = callbacks;
    this.clock = clock;
  }

  /** Twilio's message lookup: what a reminder asks when no final status callback came. */
  @GET
  @Path("/Messages/{messageSid}.json")
  @Produces(MediaType.APPLICATION_JSON)
  public Response fetch(@PathParam("accountSid") String accountSid, @PathParam("messageSid") String messageSid,
      @HeaderParam("Authorization") String authorization) {
    if (!authorized(accountSid, authorization)) {
      return error(401, 20003, "Authenticate");
    }
    return jdbi.withExtension(SandboxMessageDao.class, dao -> dao.find(messageSid))
        .map(message -> Response.ok(twilioShape(message)).build())
        .orElseGet(() -> error(404, 20404, "The requested resource /2010-04-01/Accounts/" + accountSid
            + "/Messages/" + messageSid + ".json was not found"));
  }

  /**
   * Twilio's message list, newest first, filtered by {@code To} (and {@code From}), {@code PageSize} at a time (50 by
   * default, 1000 at most): what a send whose answer was lost asks. One page; no paging links beyond it.
   */
  @GET
  @Path("/Messages.json")
  @Produces(MediaType.APPLICATION_JSON)
  public Response list(@PathParam("accountSid") String accountSid, @HeaderParam("Authorization") String authorization,
      @QueryParam("To") String to, @QueryParam("From") String from, @QueryParam("PageSize") Integer pageSize) {
    if (!authorized(accountSid, authorization)) {
      return error(401, 20003, "Authenticate");
    }
    int size = pageSize == null ? 50 : pageSize;
    if (size < 1 || size > 1000) {
      return error(400, 20001, "PageSize must be between 1 and 1000");
    }
    List<Map<String, Object>> messages = jdbi.withExtension(SandboxMessageDao.class, dao -> dao.list(to, size))
        .stream().filter(m -> from == null || from.equals(m.fromNumber())).map(this::twilioShape).toList();
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("messages", messages);
    page.put("page", 0);
    page.put("page_size", size);
    page.put("uri", "/2010-04-01/Accounts/" + accountSid + "/Messages.json?PageSize=" + size);
    page.put("next_page_uri", null);
    return Response.ok(page).build();
  }

  @POST
  @Path("/Messages.json")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  public Response create(@PathParam("accountSid") String accountSid,
      @HeaderParam("Authorization") String authorization, @FormParam("To") String to,
      @FormParam("From") String from, @FormParam("Body") String body, @FormParam("ContentSid") String contentSid,
      @FormParam("ContentVariables") String contentVariables, @FormParam("StatusCallback") String statusCallback,
      @Context HttpServletRequest http) {
    Instant arrived = arrival(http);
    // Twilio's round trip: the request thread waits it out, as a client's send does (a send takes its sends-in-flight
    // slot for that long). Counted against the sender's rate at its arrival, as before.
    hold(latency);
    if (!authorized(accountSid, authorization)) {
      return error(401, 20003, "Authenticate");
    }
    String phone = to != null && to.startsWith("whatsapp:+") ? phones.normalize(to).orElse(null) : null;
    if (phone == null) {
      return error(400, 21211, "The 'To' number " + to + " is not a valid phone number.");
    }
    SandboxFaults.Fault fault = faults.pick(phone).orElse(null);
    if (fault != null && fault.kind().refusesSend()) {
      log.info("sandbox: fault {} for {}: answered {} {}", fault.kind().wire, PhoneNumbers.mask(phone),
          fault.kind().httpStatus, fault.kind().code);
      return error(fault.kind().httpStatus, fault.kind().code, fault.kind().message);
    }
    if (from == null || !from.equals(account.whatsappFrom())) {
      return error(400, 63007, "Twilio could not find a Channel with the specified From address");
    }
    boolean hasBody = body != null && !body.isEmpty();
    boolean hasContent = contentSid != null && !contentSid.isEmpty();
    if (!hasBody && !hasContent) {
      return error(400, 21619, "A text message body or media urls must be specified.");
    }
    if (hasContent && (!contentSid.startsWith("HX") || !validVariables(contentVariables))) {
      return error(400, 21656, "The ContentVariables Parameter is invalid.");
    }
    if (hasBody && body.length() > 1600) {
      return error(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    }
    if (!hasContent && !sessions.lookup(phone).open()) {
      log.info("sandbox: freeform to {} refused with 63016 (outside the 24 h window)", PhoneNumbers.mask(phone));
      return error(400, 63016, "Failed to send freeform message because you are outside the allowed window. "
          + "If you are using WhatsApp, please use a Message Template.");
    }
    SandboxMessage message = new SandboxMessage(SandboxWire.sid("SM"), accountSid, to, from,
        hasContent ? null : body, hasContent ? contentSid : null, hasContent ? contentVariables : null, "queued",
        statusCallback, arrived);
    SandboxMessageDao.insert(jdbi, message);
    callbacks.accepted(message, fault);
    log.info("sandbox: accepted {} to {} ({}){}", message.sid(), PhoneNumbers.mask(phone),
        hasContent ? "template " + contentSid : "freeform", fault == null ? "" : " with fault " + fault.kind().wire);
    if (fault != null && fault.kind() == SandboxFaults.Kind.TIMEOUT_AFTER_ACCEPT) {
      hold(answerHold);
    }
    return Response.status(201).entity(twilioShape(message)).build();
  }

  private static void hold(Duration time) {
    if (time.isZero()) {
      return;
    }
    try {
      Thread.sleep(time.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * When the request reached the server (Jetty's first byte of it), on this resource's clock: Twilio counts a message
   * against the sender's rate when it arrives, not once the checks above are done (which, on a busy machine, can be
   * tens of milliseconds later and into the next second).
   */
  private Instant arrival(HttpServletRequest http) {
    ServletContextRequest request = http == null ? null : ServletContextRequest.getServletContextRequest(http);
    if (request == null) {
      return clock.instant();
    }
    return arrival(request.getBeginNanoTime(), System::nanoTime, clock);
  }

  /**
   * The wall-clock time of {@code beginNanos} (a {@code monotonic} reading). The monotonic clock is read first, then
   * the wall clock: a pause between the two reads (a GC, a safepoint) makes the stamp that much later, never earlier.
   * Read the other way round, it moved the stamp back by the pause, possibly to before the send passed its rate gate
   * and into a second the send was never counted in.
   */
  static Instant arrival(long beginNanos, LongSupplier monotonic, Clock clock) {
    long waited = monotonic.getAsLong() - beginNanos;
    Instant now = clock.instant();
    return waited > 0 ? now.minusNanos(waited) : now;
  }

  private boolean authorized(String accountSid, String authorization) {
    return account.accountSid().equals(accountSid) && SandboxWire.authorized(account, authorization);
  }

  private static boolean validVariables(String contentVariables) {
    if (contentVariables == null || contentVariables.isEmpty()) {
      return true;
    }
    try {
      JsonNode node = JSON.readTree(contentVariables);
      return node != null && node.isObject() && node.size() <= 100;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** The text WhatsApp shows: a template's body rendered with its positional variables, as Twilio reports it. */
  private String shownText(SandboxMessage message) {
    if (message.body() != null) {
      return message.body();
    }
    try {
      var template = templates.all().stream().filter(t -> message.contentSid().equals(t.contentSid())).findFirst();
      if (template.isEmpty()) {
        return "";
      }
      JsonNode positional = message.contentVariables() == null ? JSON.createObjectNode()
          : JSON.readTree(message.contentVariables());
      Map<String, String> named = new LinkedHashMap<>();
      List<String> names = template.get().variables();
      for (int i = 0; i < names.size(); i++) {
        named.put(names.get(i), positional.path(Integer.toString(i + 1)).asText(""));
      }
      return templates.render(template.get().name(), named);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return "";
    }
  }

  private Map<String, Object> twilioShape(SandboxMessage message) {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(message.createdAt().atOffset(ZoneOffset.UTC));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("sid", message.sid());
    json.put("account_sid", message.accountSid());
    json.put("to", message.toNumber());
    json.put("from", message.fromNumber());
    json.put("body", shownText(message));
    json.put("status", message.status());
    json.put("direction", "outbound-api");
    json.put("api_version", "2010-04-01");
    json.put("num_segments", "1");
    json.put("num_media", "0");
    json.put("date_created", date);
    json.put("date_updated", date);
    json.put("date_sent", null);
    json.put("price", null);
    json.put("error_code", null);
    json.put("error_message", null);
    json.put("uri", "/2010-04-01/Accounts/" + message.accountSid() + "/Messages/" + message.sid() + ".json");
    return json;
  }

  private static Response error(int status, int code, String message) {
    return SandboxWire.error(status, code, message);
  }

}
