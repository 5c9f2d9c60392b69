package dev.norns.whatsapp.activities.twilio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.twilio.constant.EnumConstants;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.Domains;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates WhatsApp messages through Twilio's Messages API ({@code POST /2010-04-01/Accounts/{sid}/Messages.json}),
 * exactly once per call.
 *
 * <p>The request is built here rather than with twilio-java's {@code MessageCreator}: the creator turns an error
 * answer whose body is not JSON (an empty or HTML 503) into an exception without the HTTP status, which would hide a
 * transient failure. The form parameters are the creator's: {@code To}, {@code From}, {@code Body} or
 * {@code ContentSid} + {@code ContentVariables} (a template send has no {@code Body}), {@code StatusCallback}.
 * Requests still go through a {@link TwilioRestClient} (auth, region, edge) backed by {@link SingleShotHttpClient},
 * so nothing re-sends a POST behind the caller's back.
 *
 * <p>Thread-safe; build once and share.
 */
public final class TwilioMessageSender {

  private static final Logger LOG = LoggerFactory.getLogger(TwilioMessageSender.class);
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern CONTENT_SID = Pattern.compile("HX[0-9a-fA-F]{32}");
  /** Twilio accepts at most 100 content variables. */
  static final int MAX_CONTENT_VARIABLES = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TwilioSettings settings;
  private final TwilioRestClient client;

  public TwilioMessageSender(TwilioSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.client = new TwilioRestClient.Builder(settings.accountSid(), settings.authToken())
        .httpClient(new SingleShotHttpClient(settings))
        .build();
  }

  /**
   * Sends a freeform text. Only allowed inside the 24-hour customer-service window; outside it Twilio answers 63016,
   * thrown as {@link TwilioErrors.Kind#OUTSIDE_WINDOW}.
   *
   * @param toE164         recipient as {@code +E164} (a {@code whatsapp:} prefix is tolerated)
   * @param statusCallback where Twilio posts status changes, or null for none
   * @throws TwilioSendException on any refusal or when no answer came back
   */
  public SentMessage sendFreeform(String toE164, String body, URI statusCallback) {
    return sendFreeform(toE164, body, statusCallback, WireGate.OPEN);
  }

  /**
   * {@link #sendFreeform(String, String, URI)} with {@code gate} asked once the request is built, right before it is
   * written.
   *
   * @throws WireGate.Closed when the gate said no: nothing was sent
   */
  public SentMessage sendFreeform(String toE164, String body, URI statusCallback, WireGate gate) {
    if (body == null || body.isBlank()) {
      throw new IllegalArgumentException("body must not be blank");
    }
    Request request = newMessageRequest(toE164, statusCallback);
    request.addPostParam("Body", body);
    return send(request, "freeform", gate);
  }

  /**
   * Sends an approved Content API template: {@code ContentSid} and {@code ContentVariables}, and no {@code Body}
   * (Twilio renders the text). Works outside the 24-hour window.
   *
   * @param contentSid           the template's {@code HX…} SID
   * @param contentVariablesJson JSON object with keys "1", "2", … (see {@link #contentVariablesJson(List)}), or
   *                             null for a template without variables
   * @throws TwilioSendException on any refusal or when no answer came back
   */
  public SentMessage sendTemplate(String toE164, String contentSid, String contentVariablesJson, URI statusCallback) {
    return sendTemplate(toE164, contentSid, contentVariablesJson, statusCallback, WireGate.OPEN);
  }

  /**
   * {@link #sendTemplate(String, String, String, URI)} with {@code gate} asked once the request is built, right before
   * it is written.
   *
   * @throws WireGate.Closed when the gate said no: nothing was sent
   */
  public SentMessage sendTemplate(String toE164, String contentSid, String contentVariablesJson, URI statusCallback,
      WireGate gate) {
    if (contentSid == null || !CONTENT_SID.matcher(contentSid).matches()) {
      throw new IllegalArgumentException("contentSid must be HX followed by 32 hex digits, got " + contentSid);
    }
    Request request = newMessageRequest(toE164, statusCallback);
    request.addPostParam("ContentSid", contentSid);
    if (contentVariablesJson != null) {
      request.addPostParam("ContentVariables", contentVariablesJson);
    }
    return send(request, "template " + contentSid, gate);
  }

  /** {@code {"1": values[0], "2": values[1], …}}: the positional form the Content API expects (at most 100). */
  public static String contentVariablesJson(List<String> positionalValues) {
    if (positionalValues.size() > MAX_CONTENT_VARIABLES) {
      throw new IllegalArgumentException("Twilio accepts at most " + MAX_CONTENT_VARIABLES
          + " content variables, got " + positionalValues.size());
    }
    ObjectNode node = JSON.createObjectNode();
    for (int i = 0; i < positionalValues.size(); i++) {
      node.put(Integer.toString(i + 1), Objects.requireNonNull(positionalValues.get(i), "variable " + (i + 1)));
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write content variables", e);
    }
  }

  private Request newMessageRequest(String toE164, URI statusCallback) {
    Request request = new Request(HttpMethod.POST, Domains.API.toString(),
        "/2010-04-01/Accounts/" + settings.accountSid() + "/Messages.json");
    request.setContentType(EnumConstants.ContentType.FORM_URLENCODED);
    request.addPostParam("To", "whatsapp:" + e164(toE164));
    if (TwilioSettings.messagingService(settings.whatsappFrom())) {
      request.addPostParam("MessagingServiceSid", settings.whatsappFrom());
    } else {
      request.addPostParam("From", settings.whatsappFrom());
    }
    if (statusCallback != null) {
      request.addPostParam("StatusCallback", statusCallback.toString());
    }
    return request;
  }

  private SentMessage send(Request request, String what, WireGate gate) {
    Response response;
    try {
      response = SingleShotHttpClient.through(gate, () -> client.request(request));
    } catch (TwilioConnectionException e) {
      LOG.warn("Twilio {} send got no answer: {}", what, e.getMessage());
      throw TwilioSendException.noAnswer(e);
    }
    int status = response.getStatusCode();
    JsonNode answer = parse(response.getContent());
    if (status >= 200 && status < 300) {
      String sid = text(answer, "sid");
      if (sid == null) {
        throw new TwilioSendException("Twilio answered HTTP " + status + " without a message SID; the message MAY"
            + " have been accepted", TwilioErrors.Kind.TRANSIENT, TwilioSendException.BAD_ANSWER, status, true, null);
      }
      SentMessage sent = new SentMessage(sid, text(answer, "status"));
      LOG.debug("Twilio accepted {} send as {} ({})", what, sent.sid(), sent.status());
      return sent;
    }
    Integer code = answer != null && answer.path("code").canConvertToInt() ? answer.path("code").intValue() : null;
    TwilioSendException refused = TwilioSendException.refused(status, code, text(answer, "message"));
    LOG.info("Twilio refused {} send: {}", what, refused.getMessage());
    throw refused;
  }

  /** Twilio's answer about one message: its status and, for a failed one, the error. */
  public record MessageStatus(String sid, String status, String errorCode, String errorMessage) {}

  /**
   * Asks Twilio for a message ({@code GET /2010-04-01/Accounts/{sid}/Messages/{MessageSid}.json}): what a reminder
   * that heard no final status callback does before calling itself UNCONFIRMED. A GET is safe to repeat.
   *
   * @throws TwilioSendException when Twilio does not answer (transient) or does not know the message (permanent)
   */
  public MessageStatus fetch(String messageSid) {
    JsonNode answer = get(new Request(HttpMethod.GET, Domains.API.toString(),
        "/2010-04-01/Accounts/" + settings.accountSid() + "/Messages/" + messageSid + ".json"), null);
    return new MessageStatus(messageSid, text(answer, "status"), text(answer, "error_code"),
        text(answer, "error_message"));
  }

  /** A message as Twilio's list shows it: enough to recognise one this service sent. */
  public record ListedMessage(String sid, String status, String body, java.time.Instant createdAt) {}

  /**
   * The newest messages to {@code toE164} ({@code GET /2010-04-01/Accounts/{sid}/Messages.json?To=…&PageSize=…}),
   * newest first: what a send whose answer was lost asks to learn whether Twilio took it. A GET is safe to repeat.
   *
   * @throws TwilioSendException when Twilio does not answer or refuses the query
   */
  public java.util.List<ListedMessage> recent(String toE164, int pageSize) {
    String to = "whatsapp:" + e164(toE164);
    Request request = new Request(HttpMethod.GET, Domains.API.toString(),
        "/2010-04-01/Accounts/" + settings.accountSid() + "/Messages.json");
    request.addQueryParam("To", to);
    request.addQueryParam("PageSize", Integer.toString(pageSize));
    JsonNode answer = get(request, "messages");
    java.util.List<ListedMessage> messages = new java.util.ArrayList<>();
    for (JsonNode message : answer.path("messages")) {
      String created = text(message, "date_created");
      java.time.Instant at;
      try {
        at = created == null ? null : java.time.ZonedDateTime.parse(created,
            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (java.time.format.DateTimeParseException e) {
        at = null;
      }
      messages.add(new ListedMessage(text(message, "sid"), text(message, "status"), text(message, "body"), at));
    }
    return messages;
  }

  /**
   * One GET: Twilio's JSON object, which must have the array {@code listField} when given.
   *
   * @throws TwilioSendException when Twilio does not answer (transient) or answers with an error
   */
  private JsonNode get(Request request, String listField) {
    Response response;
    try {
      response = client.request(request);
    } catch (TwilioConnectionException e) {
      throw TwilioSendException.noAnswer(e);
    }
    JsonNode answer = parse(response.getContent());
    if (response.getStatusCode() / 100 != 2 || answer == null
        || (listField != null && !answer.path(listField).isArray())) {
      Integer code = answer != null && answer.path("code").canConvertToInt() ? answer.path("code").intValue() : null;
      throw TwilioSendException.refused(response.getStatusCode(), code, text(answer, "message"));
    }
    return answer;
  }

  private static String e164(String to) {
    String number = to != null && to.startsWith("whatsapp:") ? to.substring("whatsapp:".length()) : to;
    if (number == null || !E164.matcher(number).matches()) {
      throw new TwilioSendException("recipient is not an E.164 number: " + to, TwilioErrors.Kind.PERMANENT,
          TwilioSendException.INVALID_TO, 0, false, null);
    }
    return number;
  }

  private static JsonNode parse(String content) {
    if (content == null || content.isBlank()) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(content);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
