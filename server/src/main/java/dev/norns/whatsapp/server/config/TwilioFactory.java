package dev.norns.whatsapp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Twilio credentials come from the environment; without them the built-in sandbox answers instead. */
public class TwilioFactory {
  @JsonProperty
  private String accountSid = "";

  @JsonProperty
  private String authToken = "";

  @JsonProperty
  private String whatsappFrom = "";

  /** A Messaging Service SID ({@code MG…}) as the sender instead of {@code whatsappFrom}. */
  @JsonProperty
  private String messagingServiceSid = "";

  /** Twilio's region and edge (e.g. {@code ie1}, {@code dublin}): {@code https://api.<edge>.<region>.twilio.com}. */
  @JsonProperty
  private String region = "";

  @JsonProperty
  private String edge = "";

  /** A Twilio-compatible endpoint instead of Twilio's API (a proxy, a test double of your own). */
  @JsonProperty
  private String apiBaseUrl = "";

  /** The sender's messages-per-second: Twilio's default for a WhatsApp sender is 80. */
  @Min(1)
  @Max(1000)
  @JsonProperty
  private int senderMps = 80;

  @JsonProperty
  private Duration connectTimeout = Duration.seconds(5);

  @JsonProperty
  private Duration requestTimeout = Duration.seconds(15);

  /** How long a send whose outcome is unknown waits for a status callback before it is given up as UNCONFIRMED. */
  @JsonProperty
  private Duration ambiguityGrace = Duration.minutes(2);

  /**
   * The built-in sandbox's own credentials (sandbox mode only): unset, random at each start. Set both to let a client
   * of your own (twilio-java, a load generator) call the sandbox's REST API and sign webhooks as it does.
   */
  @JsonProperty
  private String sandboxAccountSid = "";

  @JsonProperty
  private String sandboxAuthToken = "";

  /** Sandbox mode only: fault rules at start, {@code kind[@rate],…} (see {@code SandboxFaults}). */
  @JsonProperty
  private String sandboxFaults = "";

  /**
   * Sandbox mode only: how long the sandbox takes to answer a send, as Twilio's API does (about 0.2 s); none by
   * default. With it, sends in flight bound an instance's rate as they do against Twilio.
   */
  @JsonProperty
  private Duration sandboxLatency = Duration.seconds(0);

  /** The settings of real Twilio (or a Twilio-compatible endpoint): credentials, sender, base URL and timeouts. */
  public dev.norns.whatsapp.activities.twilio.TwilioSettings realSettings() {
    return new dev.norns.whatsapp.activities.twilio.TwilioSettings(getAccountSid().strip(), getAuthToken().strip(),
        sender(), apiBase(), getConnectTimeout(), getRequestTimeout());
  }

  public String getSandboxFaults() {
    return sandboxFaults;
  }

  public java.time.Duration getSandboxLatency() {
    return sandboxLatency.toJavaDuration();
  }

  public boolean sandbox() {
    return blank(accountSid) && blank(authToken) && blank(whatsappFrom) && blank(messagingServiceSid);
  }

  /** Who sends: the Messaging Service when set, else the WhatsApp number. */
  public String sender() {
    return blank(messagingServiceSid) ? whatsappFrom.strip() : messagingServiceSid.strip();
  }

  /** Where Twilio's API is: TWILIO_API_BASE_URL, else the region and edge, else api.twilio.com. */
  public java.net.URI apiBase() {
    if (!blank(apiBaseUrl)) {
      return java.net.URI.create(apiBaseUrl.strip().replaceAll("/+$", ""));
    }
    return dev.norns.whatsapp.activities.twilio.TwilioSettings.regional(region, edge);
  }

  /**
   * What in these settings is a mistake, or null: half-set credentials (not a request for the sandbox), settings of
   * real Twilio beside the sandbox and the sandbox's beside real Twilio, a sender or URL of the wrong shape.
   */
  public String incompleteReason() {
    if (blank(sandboxAccountSid) != blank(sandboxAuthToken)) {
      return "set both of SANDBOX_ACCOUNT_SID and SANDBOX_AUTH_TOKEN, or neither (random sandbox credentials)";
    }
    if (!blank(sandboxAccountSid) && !sandboxAccountSid.matches("AC[0-9a-f]{32}")) {
      return "SANDBOX_ACCOUNT_SID must look like Twilio's: AC and 32 lowercase hex digits";
    }
    if (sandbox()) {
      if (!blank(region) || !blank(edge) || !blank(apiBaseUrl)) {
        return "TWILIO_REGION, TWILIO_EDGE and TWILIO_API_BASE_URL need real Twilio credentials (the sandbox is local)";
      }
      return getSandboxLatency().compareTo(getRequestTimeout()) < 0 ? null
          : "SANDBOX_LATENCY must be shorter than the request timeout (" + requestTimeout + "): every send would time "
              + "out, got " + sandboxLatency;
    }
    if (!getSandboxLatency().isZero()) {
      return "SANDBOX_LATENCY is for the built-in sandbox only: real Twilio takes its own time";
    }
    if (blank(accountSid) || blank(authToken) || (blank(whatsappFrom) && blank(messagingServiceSid))) {
      return "set all of TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM (or "
          + "TWILIO_MESSAGING_SERVICE_SID), or none (sandbox)";
    }
    if (!blank(whatsappFrom) && !blank(messagingServiceSid)) {
      return "set one sender: TWILIO_WHATSAPP_FROM or TWILIO_MESSAGING_SERVICE_SID, not both";
    }
    if (!blank(messagingServiceSid)
        && !dev.norns.whatsapp.activities.twilio.TwilioSettings.messagingService(messagingServiceSid.strip())) {
      return "TWILIO_MESSAGING_SERVICE_SID must be MG and 32 hex digits, got " + messagingServiceSid;
    }
    if (!blank(whatsappFrom) && !whatsappFrom.strip().matches("whatsapp:\\+[1-9][0-9]{6,14}")) {
      return "TWILIO_WHATSAPP_FROM must look like whatsapp:+14155238886, got " + whatsappFrom;
    }
    if (!blank(apiBaseUrl) && (!blank(region) || !blank(edge))) {
      return "TWILIO_API_BASE_URL replaces TWILIO_REGION/TWILIO_EDGE: set one or the other";
    }
    try {
      java.net.URI base = apiBase();
      if (base.getHost() == null || !("https".equals(base.getScheme()) || "http".equals(base.getScheme()))) {
        return "TWILIO_API_BASE_URL must be an absolute http(s) URL, got " + apiBaseUrl;
      }
    } catch (IllegalArgumentException e) {
      return e.getMessage().startsWith("TWILIO") ? e.getMessage()
          : "TWILIO_API_BASE_URL must be an absolute http(s) URL, got " + apiBaseUrl;
    }
    return null;
  }

  /** The sandbox's account SID and auth token when both are set, else null (random ones). */
  public String[] sandboxCredentials() {
    return blank(sandboxAccountSid) ? null : new String[] {sandboxAccountSid.strip(), sandboxAuthToken.strip()};
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  public String getAccountSid() {
    return accountSid;
  }

  public String getAuthToken() {
    return authToken;
  }

  public String getWhatsappFrom() {
    return whatsappFrom;
  }

  public int getSenderMps() {
    return senderMps;
  }

  public java.time.Duration getConnectTimeout() {
    return connectTimeout.toJavaDuration();
  }

  public java.time.Duration getRequestTimeout() {
    return requestTimeout.toJavaDuration();
  }

  public java.time.Duration getAmbiguityGrace() {
    return ambiguityGrace.toJavaDuration();
  }
}
