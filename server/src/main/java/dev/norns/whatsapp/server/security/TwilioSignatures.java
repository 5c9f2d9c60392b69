package dev.norns.whatsapp.server.security;

import com.twilio.security.RequestValidator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.net.URI;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Twilio's request signature: Base64(HMAC-SHA1(auth token, URL + every POST parameter name and value, names sorted,
 * and a repeated name's values sorted, each once, as Twilio's own libraries compute it)). A form with one value per
 * name is checked by twilio-java's validator (constant-time, tolerant of a :443 difference); one with a repeated name,
 * which twilio-java's map-based validator cannot hold, by the same computation over every value, compared in constant
 * time, with the same port tolerance. Signing exists for the sandbox, which must call our webhooks exactly as Twilio
 * does.
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

  /** As {@link #valid(String, Map, String)}, for a form whose names may repeat. */
  public boolean validForm(String url, Map<String, List<String>> params, String signature) {
    if (signature == null || signature.isBlank()) {
      return false;
    }
    if (params.values().stream().allMatch(values -> values.size() == 1)) {
      Map<String, String> single = new TreeMap<>();
      params.forEach((name, values) -> single.put(name, values.get(0)));
      return validator.validate(url, single, signature);
    }
    byte[] given = signature.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (String candidate : withAndWithoutDefaultPort(url)) {
      match |= MessageDigest.isEqual(signForm(candidate, params).getBytes(StandardCharsets.UTF_8), given);
    }
    return match;
  }

  public String sign(String url, Map<String, String> params) {
    Map<String, List<String>> form = new TreeMap<>();
    params.forEach((name, value) -> form.put(name, List.of(value)));
    return signForm(url, form);
  }

  public String signForm(String url, Map<String, List<String>> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((name, values) -> new TreeSet<>(values)
        .forEach(value -> data.append(name).append(value)));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is part of every JRE", e);
    }
  }

  /** The URL as given and with its scheme's default port added or removed (Twilio signs either, by client). */
  private static List<String> withAndWithoutDefaultPort(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return List.of(url);
    }
    int standard = "https".equals(uri.getScheme()) ? 443 : "http".equals(uri.getScheme()) ? 80 : -1;
    if (standard < 0 || uri.getRawAuthority() == null) {
      return List.of(url);
    }
    String authority = uri.getRawAuthority();
    String other = uri.getPort() == standard ? authority.substring(0, authority.lastIndexOf(':'))
        : uri.getPort() < 0 ? authority + ":" + standard : null;
    return other == null ? List.of(url) : List.of(url, url.replaceFirst(java.util.regex.Pattern.quote(authority),
        java.util.regex.Matcher.quoteReplacement(other)));
  }
}
