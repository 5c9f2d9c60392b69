package dev.norns.whatsapp.server.api;

/** Shapes the request records' constraints share. */
public final class Patterns {
  /** A UUID in its usual 8-4-4-4-12 hex form, any case, spaces around allowed. */
  public static final String UUID =
      "\\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\s*";
  /** Text with something other than white space in it. */
  public static final String NOT_BLANK = "(?s).*\\S.*";
  /** A local time HH:mm, 00:00 to 23:59, spaces around allowed. */
  public static final String LOCAL_TIME = "\\s*([01]\\d|2[0-3]):[0-5]\\d\\s*";
  /** An email address (something@domain.tld) or nothing: blank clears it. */
  public static final String EMAIL_OR_BLANK = "\\s*([^@\\s]+@[^@\\s]+\\.[^@\\s]+)?\\s*";
  /** WhatsApp's limit for a freeform message body. */
  public static final int MAX_BODY = 1600;

  private Patterns() {}
}
