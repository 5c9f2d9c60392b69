package dev.norns.whatsapp.activities.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

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
  }

  /** Meters that go nowhere: for code paths (tests, commands) without a registry. */
  public static ChannelMetrics none() {
    return new ChannelMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Twilio accepted a message; {@code channel} is freeform or template. */
  public void sent(String channel) {
    Counter.builder("whatsapp.messages.sent").description("Messages Twilio accepted, by channel")
        .tag("channel", channel).register(registry).increment();
  }

  /** A status callback moved a message to {@code status} (delivered, read, failed, undelivered…). */
  public void status(String status) {
    Counter.builder("whatsapp.messages.status").description("Outbound message statuses reached, from callbacks")
        .tag("status", status).register(registry).increment();
  }

  /** A reminder's workflow ended in {@code status} having last used {@code channel} (or none). */
  public void finished(String status, String channel) {
    Counter.builder("norns.reminders.final").description("Reminders finished, by final status and channel")
        .tag("status", status).tag("channel", channel).register(registry).increment();
  }

  public void twilioError(String code) {
    Counter.builder("whatsapp.twilio.errors").description("Twilio errors, by error code")
        .tag("code", code == null ? "unknown" : code).register(registry).increment();
  }

  public void lateness(Duration late) {
    lateness.record(Math.max(0, late.toMillis()) / 1000.0);
  }

  public void inbound(String interpretation) {
    Counter.builder("whatsapp.inbound.messages").description("Inbound messages, by what they meant")
        .tag("kind", interpretation).register(registry).increment();
  }

  public Timer webhook(String webhook, int status) {
    return Timer.builder("whatsapp.webhook").description("Twilio webhook latency, signature check included")
        .tag("webhook", webhook).tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry);
  }
}
