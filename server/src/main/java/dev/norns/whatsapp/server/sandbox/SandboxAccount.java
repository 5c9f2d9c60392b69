package dev.norns.whatsapp.server.sandbox;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The sandbox's own Twilio-style credentials: a fresh random auth token each start (it signs the callbacks our webhook
 * checks) and Twilio's public WhatsApp sandbox number as sender.
 */
public record SandboxAccount(String accountSid, String authToken, String whatsappFrom) {
  public static final String SANDBOX_FROM = "whatsapp:+14155238886";

  public static SandboxAccount random() {
    SecureRandom random = new SecureRandom();
    byte[] sid = new byte[16];
    byte[] token = new byte[16];
    random.nextBytes(sid);
    random.nextBytes(token);
    return new SandboxAccount("AC" + HexFormat.of().formatHex(sid), HexFormat.of().formatHex(token), SANDBOX_FROM);
  }
}
