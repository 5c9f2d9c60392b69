package dev.norns.whatsapp.workflows;

/** The one place workflow ids are made: the business id is the workflow id, so duplicates are rejected. */
public final class WorkflowIds {
  private static final String REMINDER_PREFIX = "reminder:";
  private static final String INBOUND_PREFIX = "inbound:";
  private static final String SERIES_PREFIX = "series:";

  private WorkflowIds() {}

  public static String reminder(String reminderId) {
    return REMINDER_PREFIX + reminderId;
  }

  /** A recurring reminder's series: it creates one reminder per occurrence. */
  public static String series(String seriesId) {
    return SERIES_PREFIX + seriesId;
  }

  public static String inbound(String messageSid) {
    return INBOUND_PREFIX + messageSid;
  }
}
