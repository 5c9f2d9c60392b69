package dev.norns.whatsapp.server.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.server.security.TwilioSignatures;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Plays a WhatsApp user writing in: delivers a signed inbound webhook exactly as Twilio would. */
@Path("/sandbox/inbound")
public final class SandboxInboundResource {

  private final SandboxAccount account;
  private final TwilioSignatures signatures;
  private final PhoneNumbers phones;
  private final Supplier<String> publicBaseUrl;
  private final Supplier<String> localBaseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public SandboxInboundResource(SandboxAccount account, TwilioSignatures signatures, PhoneNumbers phones,
      Supplier<String> publicBaseUrl, Supplier<String> localBaseUrl) {
    this.account = account;
    this.signatures = signatures;
    this.phones = phones;
    this.publicBaseUrl = publicBaseUrl;
    this.localBaseUrl = localBaseUrl;
  }

  public record InboundRequest(
      @JsonProperty("from") String from,
      @JsonProperty("body") String body,
      @JsonProperty("button_payload") String buttonPayload,
      @JsonProperty("replied_to_sid") String repliedToSid) {}

  public record Delivered(@JsonProperty("message_sid") String messageSid,
      @JsonProperty("webhook_status") int webhookStatus, @JsonProperty("webhook_answer") String webhookAnswer) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Delivered deliver(InboundRequest request) {
    if (request == null || request.from() == null || !request.from().startsWith("whatsapp:")
        || phones.normalize(request.from()).isEmpty()) {
      throw ApiException.invalid("from", "from must be whatsapp:+E164");
    }
    String phone = phones.normalize(request.from()).orElseThrow();
    String sid = SandboxWire.sid("SM");
    Map<String, String> params = new LinkedHashMap<>();
    params.put("MessageSid", sid);
    params.put("SmsMessageSid", sid);
    params.put("AccountSid", account.accountSid());
    params.put("From", "whatsapp:" + phone);
    params.put("To", account.whatsappFrom());
    params.put("Body", request.body() == null ? "" : request.body());
    params.put("WaId", phone.substring(1));
    params.put("ProfileName", "Sandbox User");
    params.put("NumMedia", "0");
    params.put("NumSegments", "1");
    params.put("ApiVersion", "2010-04-01");
    if (request.buttonPayload() != null) {
      params.put("ButtonPayload", request.buttonPayload());
      params.put("ButtonText", request.buttonPayload());
    }
    if (request.repliedToSid() != null) {
      params.put("OriginalRepliedMessageSid", request.repliedToSid());
    }
    String form = SandboxWire.form(params);
    String signedUrl = publicBaseUrl.get() + "/whatsapp/webhook";
    try {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(localBaseUrl.get()
              + "/whatsapp/webhook"))
          .timeout(Duration.ofSeconds(15))
          .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
          .header("X-Twilio-Signature", signatures.sign(signedUrl, params))
          .header("User-Agent", "TwilioProxy/1.1 (norns-whatsapp sandbox)")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
      return new Delivered(sid, answer.statusCode(), answer.body());
    } catch (IOException e) {
      throw new ApiException(502, null, "the webhook did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, null, "interrupted");
    }
  }


}
