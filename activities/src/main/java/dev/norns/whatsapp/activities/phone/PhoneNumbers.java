package dev.norns.whatsapp.activities.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import java.util.Optional;

/**
 * The one place phone numbers are parsed: any common format in, E.164 out (libphonenumber). Numbers without a country
 * code are read in the configured default region.
 */
public final class PhoneNumbers {
  private static final String WHATSAPP_PREFIX = "whatsapp:";
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private final String defaultRegion;

  public PhoneNumbers(String defaultRegion) {
    if (!UTIL.getSupportedRegions().contains(defaultRegion)) {
      throw new IllegalArgumentException("unknown phone region: " + defaultRegion);
    }
    this.defaultRegion = defaultRegion;
  }

  /** E.164 for a valid number, empty otherwise (including Twilio's {@code whatsapp:} prefix handled). */
  public Optional<String> normalize(String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    String text = raw.strip();
    if (text.startsWith(WHATSAPP_PREFIX)) {
      text = text.substring(WHATSAPP_PREFIX.length());
    }
    if (text.isEmpty() || text.length() > 40) {
      return Optional.empty();
    }
    try {
      Phonenumber.PhoneNumber number = UTIL.parse(text, defaultRegion);
      if (!UTIL.isValidNumber(number)) {
        return Optional.empty();
      }
      return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  /** Twilio's WhatsApp address for an E.164 number. */
  public static String whatsapp(String e164) {
    return WHATSAPP_PREFIX + e164;
  }

  /** What logs show of a number: the last four digits only. */
  public static String mask(String number) {
    if (number == null) {
      return "null";
    }
    String digits = NOT_DIGIT.matcher(number).replaceAll("");
    return digits.length() <= 4 ? "***" : "***" + digits.substring(digits.length() - 4);
  }

  /**
   * Every phone number in free text (a URL's path and query, a request-log line) masked as {@link #mask} does. The
   * text is cut at URL and log separators; a piece that, URL-decoded and without {@code + ( ) . -} and spaces, is 7 to
   * 15 digits is a phone number. Ids (UUIDs, SIDs) and timestamps are longer or contain other characters, so they
   * stay readable.
   */
  public static String maskAll(String text) {
    if (text == null) {
      return null;
    }
    return TOKEN.matcher(text).replaceAll(m -> {
      String token = m.group();
      // Percent-decoding never adds digits, so a piece with fewer than 7 is no number: most of a log line.
      if (digitCount(token) < 7) {
        return java.util.regex.Matcher.quoteReplacement(token);
      }
      String decoded;
      try {
        decoded = java.net.URLDecoder.decode(token.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = token;
      }
      // Twilio's address form: whatsapp:+14155550100 (the message list's To filter, a webhook's From).
      String prefix = decoded.regionMatches(true, 0, "whatsapp:", 0, 9) ? "whatsapp:" : "";
      String digits = SEPARATORS.matcher(decoded.substring(prefix.length())).replaceAll("");
      // A date (Twilio's API version 2010-04-01 in its paths, a day in a query) is not a phone number.
      boolean date = DATE.matcher(decoded).matches();
      boolean phone = !date && digits.length() >= 7 && digits.length() <= 15
          && digits.chars().allMatch(Character::isDigit);
      return java.util.regex.Matcher.quoteReplacement(phone ? prefix + mask(digits) : token);
    });
  }

  private static int digitCount(String text) {
    int count = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        count++;
      }
    }
    return count;
  }

  // Compiled once: the request log masks every line with these.
  private static final java.util.regex.Pattern NOT_DIGIT = java.util.regex.Pattern.compile("[^0-9]");
  private static final java.util.regex.Pattern SEPARATORS = java.util.regex.Pattern.compile("[\\s+().\\-]");
  private static final java.util.regex.Pattern DATE = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[^/?&=;,\\s\"\\[\\]]+");
}
