package dev.norns.whatsapp.server.security;

import com.twilio.security.RequestValidator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature: Base64(HMAC-SHA1(auth token, URL + every POST parameter name and value sorted by name)).
 * Checking uses twilio-java's own validator (constant-time, tolerant of a :443 difference); signing exists for the
 * sandbox, which must call our webhooks exactly as Twilio does.
 */
public final class TwilioSignatures {
  private final String authToken;
  private final RequestValidator validator;

  public TwilioSignatures(String authToken) {
    this.authToken = authToken;
    this.validator = new RequestValidator(authToken);
  }

  public boolean valid(String url, Map<String, String> params, String signature) {
    return signature != null && !signature.isBlank() && validator.validate(url, params, signature);
  }

  public String sign(String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JRE", e);
    }
  }
}
