package dev.norns.whatsapp.activities.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;

/**
 * The one place the channel's meters are named, so an operator can chart: sends by channel (session-window coverage
 * is freeform / all), delivery outcomes (delivery rate), Twilio errors by code, how late reminders go out, and
 * webhook latency.
 */
public final class ChannelMetrics {
  private final MeterRegistry registry;
  private final DistributionSummary lateness;

  public ChannelMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.lateness = DistributionSummary.builder("whatsapp.reminder.lateness.seconds")
        .description("Time from a reminder's due time to Twilio accepting it")
        .baseUnit("seconds")
        .serviceLevelObjectives(0.5, 1, 2, 5, 10, 30, 60, 300, 3600)
        .register(registry);
    // Counters present at 0 from the start, so a dashboard's rates and ratios have series before the first event.
    for (String channel : List.of("freeform", "template")) {
      for (String purpose : List.of(REMINDER, REPLY)) {
        sentCounter(channel, purpose);
      }
    }
    for (String status : List.of("sent", "delivered", "read", "failed", "undelivered")) {
      statusCounter(status);
    }
    for (String status : List.of("READ", "DELIVERED", "ACKNOWLEDGED", "UNCONFIRMED", "FAILED", "CANCELLED",
        "OPTED_OUT")) {
      for (String channel : List.of("freeform", "template", "none")) {
        finalCounter(status, channel);
      }
    }
    for (String code : List.of("429", "500", "503", "TIMEOUT", "21211", "21610", "63016", "63024")) {
      errorCounter(code);
    }
    for (String kind : List.of("UNKNOWN_SENDER", "STOP", "START", "JOIN", "DONE", "SNOOZE", "CANCEL", "MESSAGE",
        "AMBIGUOUS")) {
      inboundCounter(kind);
    }
  }

  /** {@link #sent} purpose of a reminder's or a proactive send: what window coverage counts. */
  public static final String REMINDER = "reminder";
  /** {@link #sent} purpose of the service's answer to a user's message (always inside the window). */
  public static final String REPLY = "reply";

  /** The sender's messages-per-second cap, as a gauge: the denominator of the sender's rate use. */
  public void senderMps(int mps) {
    io.micrometer.core.instrument.Gauge.builder("norns.sender.mps", () -> mps)
        .description("The sender's messages-per-second cap (TWILIO_SENDER_MPS)").register(registry);
  }

  /** Meters that go nowhere: for code paths (tests, commands) without a registry. */
  public static ChannelMetrics none() {
    return new ChannelMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Twilio accepted a message; {@code channel} is freeform or template, {@code purpose} {@link #REMINDER} (reminders
   * and proactive sends) or {@link #REPLY} (answers to the user, which window coverage leaves out).
   */
  public void sent(String channel, String purpose) {
    sentCounter(channel, purpose).increment();
  }

  private Counter sentCounter(String channel, String purpose) {
    return Counter.builder("whatsapp.messages.sent").description("Messages Twilio accepted, by channel and purpose")
        .tag("channel", channel).tag("purpose", purpose).register(registry);
  }

  private Counter statusCounter(String status) {
    return Counter.builder("whatsapp.messages.status").description("Outbound message statuses reached, from callbacks")
        .tag("status", status).register(registry);
  }

  private Counter finalCounter(String status, String channel) {
    return Counter.builder("norns.reminders.final").description("Reminders finished, by final status and channel")
        .tag("status", status).tag("channel", channel).register(registry);
  }

  private Counter errorCounter(String code) {
    return Counter.builder("whatsapp.twilio.errors").description("Twilio errors, by error code")
        .tag("code", code == null ? "unknown" : code).register(registry);
  }

  private Counter inboundCounter(String kind) {
    return Counter.builder("whatsapp.inbound.messages").description("Inbound messages, by what they meant")
        .tag("kind", kind).register(registry);
  }

  /** A status callback moved a message to {@code status} (delivered, read, failed, undelivered…). */
  public void status(String status) {
    statusCounter(status).increment();
  }

  /** A reminder's workflow ended in {@code status} having last used {@code channel} (or none). */
  public void finished(String status, String channel) {
    finalCounter(status, channel).increment();
  }

  public void twilioError(String code) {
    errorCounter(code).increment();
  }

  public void lateness(Duration late) {
    lateness.record(Math.max(0, late.toMillis()) / 1000.0);
  }

  public void inbound(String interpretation) {
    inboundCounter(interpretation).increment();
  }

  public Timer webhook(String webhook, int status) {
    return Timer.builder("whatsapp.webhook").description("Twilio webhook latency, signature check included")
        .tag("webhook", webhook).tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry);
  }
}
