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

  public String getSandboxFaults() {
    return sandboxFaults;
  }

  public boolean sandbox() {
    return blank(accountSid) && blank(authToken) && blank(whatsappFrom);
  }

  /** Half-set credentials are a mistake, not a request for the sandbox. */
  public String incompleteReason() {
    if (blank(sandboxAccountSid) != blank(sandboxAuthToken)) {
      return "set both of SANDBOX_ACCOUNT_SID and SANDBOX_AUTH_TOKEN, or neither (random sandbox credentials)";
    }
    if (!blank(sandboxAccountSid) && !sandboxAccountSid.matches("AC[0-9a-f]{32}")) {
      return "SANDBOX_ACCOUNT_SID must look like Twilio's: AC and 32 lowercase hex digits";
    }
    if (sandbox() || (!blank(accountSid) && !blank(authToken) && !blank(whatsappFrom))) {
      return null;
    }
    return "set all of TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM, or none (sandbox)";
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
