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

  public boolean sandbox() {
    return blank(accountSid) && blank(authToken) && blank(whatsappFrom);
  }

  /** Half-set credentials are a mistake, not a request for the sandbox. */
  public String incompleteReason() {
    if (sandbox() || (!blank(accountSid) && !blank(authToken) && !blank(whatsappFrom))) {
      return null;
    }
    return "set all of TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_WHATSAPP_FROM, or none (sandbox)";
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
