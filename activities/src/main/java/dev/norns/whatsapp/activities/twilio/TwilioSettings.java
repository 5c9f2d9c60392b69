package dev.norns.whatsapp.activities.twilio;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Twilio's Messages API.
 *
 * <p>{@code apiBaseUrl} exists because twilio-java hard-codes {@code https://api.twilio.com}: tests and local
 * sandboxes give another base (for example {@code http://127.0.0.1:8080}) and {@link SingleShotHttpClient} rewrites
 * the host. The timeouts are ours on purpose: twilio-java's defaults are about 30 s, far longer than a send activity
 * should block.
 *
 * @param accountSid     the account SID ({@code AC…}); also the basic-auth user name
 * @param authToken      the auth token; the basic-auth password
 * @param whatsappFrom   the sender: a WhatsApp address {@code whatsapp:+E164} (sent as {@code From}), or a Messaging
 *                       Service SID {@code MG…} (sent as {@code MessagingServiceSid}: Twilio picks the sender)
 * @param apiBaseUrl     scheme, host and port that replace {@code https://api.twilio.com}
 * @param connectTimeout TCP/TLS connect timeout
 * @param requestTimeout time allowed for Twilio to answer one request once it is sent
 */
public record TwilioSettings(String accountSid, String authToken, String whatsappFrom, URI apiBaseUrl,
    Duration connectTimeout, Duration requestTimeout) {

  /** Twilio's production API base. */
  public static final URI TWILIO_API = URI.create("https://api.twilio.com");

  public TwilioSettings {
    requireNonBlank(accountSid, "accountSid");
    requireNonBlank(authToken, "authToken");
    requireNonBlank(whatsappFrom, "whatsappFrom");
    if (!whatsappFrom.startsWith("whatsapp:+") && !messagingService(whatsappFrom)) {
      throw new IllegalArgumentException("the sender must look like whatsapp:+14155238886 or a Messaging Service SID "
          + "(MG and 32 hex digits), got " + whatsappFrom);
    }
    Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    if (apiBaseUrl.getScheme() == null || apiBaseUrl.getHost() == null
        || !(apiBaseUrl.getScheme().equals("http") || apiBaseUrl.getScheme().equals("https"))) {
      throw new IllegalArgumentException("apiBaseUrl must be an absolute http(s) URL, got " + apiBaseUrl);
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(requestTimeout, "requestTimeout");
  }

  /** A Messaging Service SID: {@code MG} and 32 hex digits. */
  public static boolean messagingService(String sender) {
    return sender != null && sender.matches("MG[0-9a-fA-F]{32}");
  }

  /**
   * Twilio's API base for a region and edge ({@code https://api.dublin.ie1.twilio.com}); Twilio's default region
   * {@code us1} when only the edge is given; {@link #TWILIO_API} when neither.
   */
  public static URI regional(String region, String edge) {
    boolean hasRegion = region != null && !region.isBlank();
    boolean hasEdge = edge != null && !edge.isBlank();
    if (!hasRegion && !hasEdge) {
      return TWILIO_API;
    }
    String host = "api" + (hasEdge ? "." + edge.strip() : "") + "." + (hasRegion ? region.strip() : "us1")
        + ".twilio.com";
    if (!host.matches("[a-z0-9.\\-]+")) {
      throw new IllegalArgumentException("TWILIO_REGION and TWILIO_EDGE are lowercase names such as ie1 and dublin");
    }
    return URI.create("https://" + host);
  }

  /** Settings for the real Twilio API with the given timeouts. */
  public static TwilioSettings production(String accountSid, String authToken, String whatsappFrom,
      Duration connectTimeout, Duration requestTimeout) {
    return new TwilioSettings(accountSid, authToken, whatsappFrom, TWILIO_API, connectTimeout, requestTimeout);
  }

  /** Never print the auth token. */
  @Override
  public String toString() {
    return "TwilioSettings[accountSid=" + accountSid + ", authToken=***, whatsappFrom=" + whatsappFrom
        + ", apiBaseUrl=" + apiBaseUrl + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
        + "]";
  }

  private static void requireNonBlank(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }

  private static void requirePositive(Duration value, String field) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(field + " must be a positive duration, got " + value);
    }
  }
}
