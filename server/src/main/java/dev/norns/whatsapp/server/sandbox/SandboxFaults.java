package dev.norns.whatsapp.server.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults the built-in sandbox injects on demand, the ways Twilio fails: refusals and errors on the send itself, an
 * answer lost after Twilio accepted (the ambiguous send), failures reported later in a callback, and callbacks
 * delayed, duplicated, shuffled or never sent. Each rule applies to one number or to every send, always or at a rate,
 * for a number of sends or until cleared. Set through {@code POST /sandbox/faults} or {@code SANDBOX_FAULTS}.
 * Thread-safe.
 */
public final class SandboxFaults {

  /** What a fault does; {@code name} is how the API and {@code SANDBOX_FAULTS} spell it. */
  public enum Kind {
    /** 429, Twilio's 20429: too many requests; nothing was sent. */
    RATE_LIMITED("429", 429, 20429, "Too Many Requests"),
    /** 500, Twilio's 20500: nothing was sent. */
    SERVER_ERROR("500", 500, 20500, "Internal Server Error"),
    /** 503, Twilio's 20503: nothing was sent. */
    UNAVAILABLE("503", 503, 20503, "Service Unavailable"),
    /** Accepted and sent, but the answer is held past the client's timeout: the sender cannot tell. */
    TIMEOUT_AFTER_ACCEPT("timeout", 0, 0, null),
    /** 400, 21211: the 'To' number is not a valid phone number. */
    INVALID_NUMBER("21211", 400, 21211, "The 'To' number is not a valid phone number."),
    /** 400, 21610: the recipient unsubscribed (sent STOP). */
    UNSUBSCRIBED("21610", 400, 21610, "Attempt to send to unsubscribed recipient"),
    /** Accepted, then a failed callback with 63016: the session window closed before a freeform message went out. */
    WINDOW_CLOSED_LATER("63016", 0, 63016, "Failed to send freeform message because you are outside the allowed "
        + "window. If you are using WhatsApp, please use a Message Template."),
    /** Accepted, then a failed callback with 63024: WhatsApp refused the recipient. */
    INVALID_RECIPIENT_LATER("63024", 0, 63024, "Invalid message recipient"),
    /** Callbacks come late (by the rule's delay). */
    CALLBACKS_DELAYED("delayed", 0, 0, null),
    /** Every callback comes three times. */
    CALLBACKS_DUPLICATED("duplicated", 0, 0, null),
    /** Callbacks come in a random order. */
    CALLBACKS_SHUFFLED("shuffled", 0, 0, null),
    /** No callback comes (a lookup still finds the message's status). */
    CALLBACKS_NEVER("never", 0, 0, null);

    public final String wire;
    public final int httpStatus;
    public final int code;
    public final String message;

    Kind(String wire, int httpStatus, int code, String message) {
      this.wire = wire;
      this.httpStatus = httpStatus;
      this.code = code;
      this.message = message;
    }

    /** Refused at once: nothing is stored or sent. */
    public boolean refusesSend() {
      return httpStatus > 0;
    }

    /** Accepted, then failed in a callback. */
    public boolean failsLater() {
      return this == WINDOW_CLOSED_LATER || this == INVALID_RECIPIENT_LATER;
    }

    public static Optional<Kind> of(String wire) {
      return Arrays.stream(values()).filter(k -> k.wire.equalsIgnoreCase(wire == null ? "" : wire.strip()))
          .findFirst();
    }

    public static String names() {
      return String.join(", ", Arrays.stream(values()).map(k -> k.wire).toList());
    }
  }

  /**
   * One rule. {@code to}: the number it applies to (+E.164), or null for every send; {@code rate}: the share of sends
   * it hits; {@code remaining}: sends it may still hit, null for no limit; {@code delay}: how late callbacks come.
   */
  public record Fault(int id, Kind kind, String to, double rate, Integer remaining, Duration delay) {}

  private final List<Rule> rules = new ArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  private static final class Rule {
    final int id;
    final Kind kind;
    final String to;
    final double rate;
    final Duration delay;
    Integer remaining;

    Rule(int id, Kind kind, String to, double rate, Integer remaining, Duration delay) {
      this.id = id;
      this.kind = kind;
      this.to = to;
      this.rate = rate;
      this.remaining = remaining;
      this.delay = delay;
    }

    Fault view() {
      return new Fault(id, kind, to, rate, remaining, delay);
    }
  }

  /** Adds a rule (validated by the caller); returns it with its id. */
  public synchronized Fault add(Kind kind, String to, double rate, Integer count, Duration delay) {
    Rule rule = new Rule(ids.incrementAndGet(), kind, to, rate, count,
        kind == Kind.CALLBACKS_DELAYED && delay == null ? Duration.ofSeconds(30) : delay);
    rules.add(rule);
    return rule.view();
  }

  public synchronized List<Fault> list() {
    return rules.stream().map(Rule::view).toList();
  }

  public synchronized boolean remove(int id) {
    return rules.removeIf(r -> r.id == id);
  }

  public synchronized void clear() {
    rules.clear();
  }

  /** The fault that hits a send to {@code phone} now, if any: the first matching rule whose dice say so. */
  public synchronized Optional<Fault> pick(String phone) {
    for (Rule rule : rules) {
      if (rule.to != null && !rule.to.equals(phone)) {
        continue;
      }
      if (rule.remaining != null && rule.remaining <= 0) {
        continue;
      }
      if (rule.rate < 1.0 && ThreadLocalRandom.current().nextDouble() >= rule.rate) {
        continue;
      }
      if (rule.remaining != null) {
        rule.remaining--;
      }
      return Optional.of(rule.view());
    }
    return Optional.empty();
  }

  /**
   * Rules from {@code SANDBOX_FAULTS}: comma-separated {@code kind[@rate]}, e.g. {@code 429@0.2,timeout@0.05,duplicated}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static SandboxFaults parse(String spec) {
    SandboxFaults faults = new SandboxFaults();
    if (spec == null || spec.isBlank()) {
      return faults;
    }
    for (String part : spec.split(",")) {
      String[] kindAndRate = part.strip().split("@", 2);
      Kind kind = Kind.of(kindAndRate[0]).orElseThrow(() -> new IllegalArgumentException(
          "SANDBOX_FAULTS: no fault '" + kindAndRate[0].strip() + "'; one of " + Kind.names()));
      double rate = 1.0;
      if (kindAndRate.length == 2) {
        try {
          rate = Double.parseDouble(kindAndRate[1].strip());
        } catch (NumberFormatException e) {
          rate = -1;
        }
        if (!(rate > 0 && rate <= 1)) {
          throw new IllegalArgumentException("SANDBOX_FAULTS: the rate of " + kind.wire
              + " must be a number in (0, 1]: " + kindAndRate[1].strip().toLowerCase(Locale.ROOT));
        }
      }
      faults.add(kind, null, rate, null, null);
    }
    return faults;
  }
}
