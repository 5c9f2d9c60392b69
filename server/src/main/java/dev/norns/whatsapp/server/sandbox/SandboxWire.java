package dev.norns.whatsapp.server.sandbox;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;

/** What the sandbox puts on the wire the way Twilio does: SIDs (two letters, 32 hex digits) and form bodies. */
final class SandboxWire {
  private static final SecureRandom RANDOM = new SecureRandom();

  private SandboxWire() {}

  /** A fresh random SID such as {@code SM…} or {@code AC…}; an empty prefix gives 32 random hex digits. */
  static String sid(String prefix) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }

  /** An application/x-www-form-urlencoded body of {@code params}, in their order. */
  static String form(Map<String, String> params) {
    return params.entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
  }

  /** Twilio's error answer: HTTP status and a JSON body with Twilio's code, message and link. */
  static jakarta.ws.rs.core.Response error(int status, int code, String message) {
    Map<String, Object> json = new java.util.LinkedHashMap<>();
    json.put("code", code);
    json.put("message", message);
    json.put("more_info", "https://www.twilio.com/docs/errors/" + code);
    json.put("status", status);
    return jakarta.ws.rs.core.Response.status(status).type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
        .entity(json).build();
  }

  /** Twilio's basic auth: the account SID and auth token, compared in constant time. */
  static boolean authorized(SandboxAccount account, String authorization) {
    String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
        (account.accountSid() + ":" + account.authToken()).getBytes(StandardCharsets.UTF_8));
    return authorization != null && java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        authorization.getBytes(StandardCharsets.UTF_8));
  }

  private static String enc(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }
}
