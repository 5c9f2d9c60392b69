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

  private static String enc(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }
}
