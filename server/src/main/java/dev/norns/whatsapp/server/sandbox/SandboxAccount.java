package dev.norns.whatsapp.server.sandbox;


/**
 * The sandbox's own Twilio-style credentials: a fresh random auth token each start (it signs the callbacks our webhook
 * checks) and Twilio's public WhatsApp sandbox number as sender.
 */
public record SandboxAccount(String accountSid, String authToken, String whatsappFrom) {
  public static final String SANDBOX_FROM = "whatsapp:+14155238886";

  public static SandboxAccount random() {
    return new SandboxAccount(SandboxWire.sid("AC"), SandboxWire.sid(""), SANDBOX_FROM);
  }

  /** The configured credentials ({@code SANDBOX_ACCOUNT_SID}, {@code SANDBOX_AUTH_TOKEN}), or random ones. */
  public static SandboxAccount of(String[] credentials) {
    return credentials == null ? random() : new SandboxAccount(credentials[0], credentials[1], SANDBOX_FROM);
  }
}
