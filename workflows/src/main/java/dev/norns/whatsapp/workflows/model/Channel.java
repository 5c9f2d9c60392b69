package dev.norns.whatsapp.workflows.model;

/** How a message goes out: freeform text inside the 24-hour session window, or an approved template outside it. */
public enum Channel {
  FREEFORM,
  TEMPLATE;

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
