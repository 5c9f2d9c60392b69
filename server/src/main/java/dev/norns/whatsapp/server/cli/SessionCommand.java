package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.activities.session.SessionCache;
import dev.norns.whatsapp.activities.session.SessionWindow;
import dev.norns.whatsapp.activities.session.SessionWindows;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;

/**
 * {@code session <phone>}: the runbook's "Check Session Window Status", answered by the same lookup the sender uses
 * (Redis first, PostgreSQL on a miss or when Redis is down), so it shows what a reminder would see.
 */
public final class SessionCommand extends NornsCommand {

  public SessionCommand() {
    super("session", "Show a phone's WhatsApp 24-hour session window");
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("phone").help("phone number in any common format, e.g. +14155550100 or '(415) 555-0100'");
    super.configure(subparser);
  }

  @Override
  protected void execute(Namespace namespace, NornsConfiguration config, PrintStream out) {
    String raw = namespace.getString("phone");
    String region = config.getDefaultPhoneRegion();
    String phone = new PhoneNumbers(region).normalize(raw).orElseThrow(() -> new IllegalArgumentException(
        "'" + raw + "' is not a valid phone number (use E.164, e.g. +14155550100; numbers without a country code "
            + "are read in region " + region + ")"));
    Clock clock = Clock.systemUTC();
    try (CommandDatabase db = CommandDatabase.openMigrated(config.getDatabase());
        SessionCache cache = new SessionCache(URI.create(config.getRedisUrl()), config.getRedisKeyPrefix(),
            Duration.ofMillis(500), clock)) {
      SessionWindow window = new SessionWindows(db.jdbi(), cache, clock).lookup(phone);
      new TextTable("phone_number", "status", "window_expires_at", "last_inbound_at", "source")
          .row(window.phoneNumber(), window.open() ? "IN_WINDOW" : "OUTSIDE_WINDOW", window.windowExpiresAt(),
              window.lastInboundAt(), window.source())
          .print(out);
    }
  }
}
