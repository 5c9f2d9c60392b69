package dev.norns.whatsapp.activities.session;

import dev.norns.whatsapp.activities.db.SessionDao;
import dev.norns.whatsapp.activities.db.SessionRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The 24-hour WhatsApp session window: PostgreSQL is the source of truth, Redis a read-through cache. Only an inbound
 * message from the user opens or refreshes it.
 */
public final class SessionWindows {
  public static final Duration WINDOW = Duration.ofHours(24);

  private final Jdbi jdbi;
  private final SessionCache cache;
  private final Clock clock;

  public SessionWindows(Jdbi jdbi, SessionCache cache, Clock clock) {
    this.jdbi = jdbi;
    this.cache = cache;
    this.clock = clock;
  }

  /** The window of an E.164 number: Redis first, PostgreSQL on a miss or when Redis is down. */
  public SessionWindow lookup(String phone) {
    Optional<SessionWindow> cached = cache.get(phone);
    if (cached.isPresent() && cached.get().open()) {
      return cached.get();
    }
    Optional<SessionRow> row = jdbi.withExtension(SessionDao.class, dao -> dao.find(phone));
    SessionWindow window = fromDatabase(phone, row.map(SessionRow::lastInboundAt).orElse(null),
        row.map(SessionRow::windowExpiresAt).orElse(null));
    if (window.open()) {
      cache.put(phone, window.lastInboundAt(), window.windowExpiresAt());
    }
    return window;
  }

  /**
   * The window of {@code phone} as PostgreSQL holds it, its row read by the caller (both null when the user never
   * wrote): open until its expiry, by this clock.
   */
  public SessionWindow fromDatabase(String phone, Instant lastInboundAt, Instant windowExpiresAt) {
    boolean open = windowExpiresAt != null && windowExpiresAt.isAfter(clock.instant());
    return new SessionWindow(phone, lastInboundAt, windowExpiresAt, open, SessionWindow.DATABASE);
  }

  /** Forgets the cached window of {@code phone} (PostgreSQL's row goes with the user's erasure). */
  public void forget(String phone) {
    cache.forget(phone);
  }

  /** Opens or refreshes the window for an inbound message received at {@code at}; PostgreSQL first, then the cache. */
  public SessionWindow recordInbound(String phone, Instant at) {
    SessionRow row = jdbi.withExtension(SessionDao.class, dao -> dao.recordInbound(phone, at, at.plus(WINDOW)));
    cache.put(phone, row.lastInboundAt(), row.windowExpiresAt());
    return new SessionWindow(phone, row.lastInboundAt(), row.windowExpiresAt(),
        row.windowExpiresAt().isAfter(clock.instant()), SessionWindow.DATABASE);
  }
}
