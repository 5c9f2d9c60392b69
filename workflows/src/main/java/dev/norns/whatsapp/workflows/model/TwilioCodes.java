package dev.norns.whatsapp.workflows.model;

/** Twilio error codes that change what a reminder does; the activities' classification refers to these. */
public final class TwilioCodes {
  /** Freeform message outside the 24-hour session window: send the template instead. */
  public static final String OUTSIDE_WINDOW = "63016";
  /** The recipient sent STOP: send nothing until START. */
  public static final String OPTED_OUT = "21610";

  private TwilioCodes() {}
}
