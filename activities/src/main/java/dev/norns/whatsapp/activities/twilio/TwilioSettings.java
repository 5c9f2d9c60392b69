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
 * @param whatsappFrom   the sender, in Twilio's WhatsApp address form {@code whatsapp:+E164}
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
    if (!whatsappFrom.startsWith("whatsapp:+")) {
      throw new IllegalArgumentException("whatsappFrom must look like whatsapp:+14155238886, got " + whatsappFrom);
    }
    Objects.requireNonNull(apiBaseUrl, "apiBaseUrl");
    if (apiBaseUrl.getScheme() == null || apiBaseUrl.getHost() == null
        || !(apiBaseUrl.getScheme().equals("http") || apiBaseUrl.getScheme().equals("https"))) {
      throw new IllegalArgumentException("apiBaseUrl must be an absolute http(s) URL, got " + apiBaseUrl);
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(requestTimeout, "requestTimeout");
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
