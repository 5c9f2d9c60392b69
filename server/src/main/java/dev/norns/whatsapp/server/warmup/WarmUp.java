package dev.norns.whatsapp.server.warmup;

import com.codahale.metrics.health.HealthCheck;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.inbound.InboundJournal;
import dev.norns.whatsapp.activities.inbound.InboundMessage;
import dev.norns.whatsapp.server.core.InboundProcessor;
import dev.norns.whatsapp.server.security.TwilioSignatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm-up before the health check turns green: a fresh JVM runs its hot paths interpreted and compiles them under the
 * first load (webhook p99 was 150–200 ms in the first 10 s at 300 req/s, 5–10 ms once compiled). So the instance
 * first calls itself over loopback — signed inbound webhooks, reminder requests, reads — until its code is compiled,
 * and reports {@code warm-up} unhealthy meanwhile (a load balancer or compose health check keeps traffic away).
 *
 * <p>Nothing is stored or sent: a webhook marked with this process's random warm-up token (header {@link #HEADER}; it
 * must also be correctly signed) is spooled to a scratch directory and never processed; the reminder requests name a
 * user that does not exist (a 422); the PostgreSQL writes run in transactions that are rolled back. Marked requests
 * are left out of the request log. {@code WARM_UP=off} skips it.
 */
public final class WarmUp extends HealthCheck {
  private static final Logger log = LoggerFactory.getLogger(WarmUp.class);
  public static final String HEADER = "X-Norns-Warm-Up";
  private static final byte[] TOKEN = HexFormat.of().formatHex(randomBytes()).getBytes(StandardCharsets.US_ASCII);
  /** Concurrent callers: enough to keep 2 cores busy, within the JDK's keep-alive cache of 5 connections. */
  private static final int THREADS = 4;
  static final int WEBHOOKS_PER_ROUND = 4;
  /** The MDC key that marks the warm-up's own processing (its log lines are dropped). */
  private static final String MDC_KEY = "norns.warm-up";
  /** How many of its webhooks the warm-up processes (rolled back). */
  private static final int PROCESSED = 3000;
  private static final Duration SETTLE_WINDOW = Duration.ofMillis(500);
  /** How long past the calls' budget the compiler is waited for at most. */
  private static final Duration SETTLE_MAX = Duration.ofSeconds(10);

  private final Duration budget;
  private final int rounds;
  private final AtomicInteger done = new AtomicInteger();
  private volatile String outcome;
  private volatile boolean finished;

  public WarmUp(Duration budget, int rounds) {
    this.budget = budget;
    this.rounds = rounds;
  }

  /** True when the header carries this process's warm-up token (compared in constant time). */
  public static boolean marks(String header) {
    return header != null && MessageDigest.isEqual(TOKEN, header.getBytes(StandardCharsets.US_ASCII));
  }

  /** A scratch spool for marked webhooks: a directory of its own, emptied after each write. */
  public static InboundJournal scratchJournal() {
    try {
      return new InboundJournal(Files.createTempDirectory("norns-warm-up-"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public boolean finished() {
    return finished;
  }

  @Override
  protected Result check() {
    if (finished) {
      return Result.healthy(outcome);
    }
    return Result.unhealthy("warming up: " + done.get() + " of " + rounds + " rounds of calls to itself");
  }

  /** Marks the warm-up done without running it ({@code WARM_UP=off}). */
  public void skip() {
    outcome = "skipped (WARM_UP=off)";
    finished = true;
  }

  /**
   * Calls the instance at {@code localBase} until {@code rounds} rounds are done or the budget is spent. Any failure
   * ends the warm-up early (the instance is then merely slower at first); it never keeps the instance unhealthy.
   */
  public void run(String localBase, String publicBase, String apiKey, TwilioSignatures signatures, Jdbi jdbi,
      InboundJournal scratch, InboundProcessor processor) {
    long started = System.nanoTime();
    long deadline = started + budget.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "warm-up");
      t.setDaemon(true);
      return t;
    });
    AtomicInteger unexpected = new AtomicInteger();
    AtomicInteger processed = new AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean calling = new java.util.concurrent.atomic.AtomicBoolean(true);
    // What the warm-up's processing logs is no one's message: its lines are dropped before they are made.
    ch.qos.logback.classic.turbo.MDCFilter quiet = new ch.qos.logback.classic.turbo.MDCFilter();
    quiet.setMDCKey(MDC_KEY);
    quiet.setValue("true");
    quiet.setOnMatch("DENY");
    quiet.start();
    ch.qos.logback.classic.LoggerContext logging =
        (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
    logging.addTurboFilter(quiet);
    try {
      Future<?> processing = pool.submit(() -> {
        processScratch(scratch, processor, jdbi, calling, processed, deadline);
        return null;
      });
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < THREADS; w++) {
        int worker = w;
        workers.add(pool.submit(() -> {
          int round;
          while ((round = done.getAndIncrement()) < rounds && System.nanoTime() < deadline) {
            if (!round(localBase, publicBase, apiKey, signatures, round * THREADS + worker)) {
              unexpected.incrementAndGet();
            }
            if (round % 20 == 0) {
              rolledBackWrites(jdbi);
            }
          }
          done.decrementAndGet();
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      calling.set(false);
      processing.get();
      long calls = System.nanoTime();
      String compiler = compilerSettled(deadline + SETTLE_MAX.toNanos());
      outcome = String.format("warm: %d rounds of calls to itself (%d webhooks processed) in %.1f s, then %.1f s for "
          + "the compiler (%s)%s", Math.min(done.get(), rounds), processed.get(), (calls - started) / 1e9,
          (System.nanoTime() - calls) / 1e9, compiler,
          unexpected.get() == 0 ? "" : ", " + unexpected.get() + " unexpected");
    } catch (Exception e) {
      outcome = "warm-up cut short: " + e;
    } finally {
      logging.getTurboFilterList().remove(quiet);
      pool.shutdownNow();
      clear(scratch.dir());
      finished = true;
      log.info("warm-up: {}", outcome);
    }
  }

  /**
   * One round: {@link #WEBHOOKS_PER_ROUND} signed inbound webhooks (scratch spool), a reminder for no user (422), a
   * read of no reminder (404). The webhook is the path that must answer fastest from the first green second, so it is
   * called most: the JIT compiles a method fully (C2) after about 5,000 calls.
   */
  private static boolean round(String localBase, String publicBase, String apiKey, TwilioSignatures signatures,
      int n) throws IOException {
    boolean expected = true;
    for (int i = 0; i < WEBHOOKS_PER_ROUND; i++) {
      int caller = n * WEBHOOKS_PER_ROUND + i;
      Map<String, String> form = new LinkedHashMap<>();
      form.put("MessageSid", "SMwarmup" + UUID.randomUUID().toString().replace("-", ""));
      form.put("AccountSid", "ACwarmup");
      form.put("From", String.format("whatsapp:+1415555%04d", caller % 10000));
      form.put("To", "whatsapp:+14155238886");
      form.put("Body", "warm-up " + caller);
      form.put("NumMedia", "0");
      StringBuilder body = new StringBuilder();
      form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
          .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
      expected &= send(localBase + "/whatsapp/webhook", "POST", body.toString(), Map.of(
          "Content-Type", "application/x-www-form-urlencoded",
          "X-Twilio-Signature", signatures.sign(publicBase + "/whatsapp/webhook", form))) == 200;
    }
    String reminder = "{\"user_id\":\"" + UUID.randomUUID() + "\",\"template_name\":\"task_reminder\",\"due_at\":\""
        + Instant.now().plus(Duration.ofHours(1)) + "\",\"variables\":{\"task_name\":\"warm-up " + n
        + "\",\"due_time\":\"soon\"}}";
    expected &= send(localBase + "/api/reminders", "POST", reminder,
        Map.of("Content-Type", "application/json", "X-API-Key", apiKey)) == 422;
    expected &= send(localBase + "/api/reminders/" + UUID.randomUUID(), "GET", null, Map.of("X-API-Key", apiKey))
        == 404;
    return expected;
  }

  /**
   * One call over a kept-alive loopback connection ({@link HttpURLConnection}: far lighter on a cold JVM than
   * java.net.http, whose own code would otherwise take a share of the compiler's time).
   */
  private static int send(String url, String method, String body, Map<String, String> headers) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
    connection.setConnectTimeout(2000);
    connection.setReadTimeout(5000);
    connection.setRequestMethod(method);
    connection.setRequestProperty(HEADER, new String(TOKEN, StandardCharsets.US_ASCII));
    headers.forEach(connection::setRequestProperty);
    if (body != null) {
      connection.setDoOutput(true);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
    }
    int status = connection.getResponseCode();
    // Read to the end so the connection goes back to the keep-alive cache.
    try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
      if (in != null) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }
    return status;
  }

  /**
   * Processes the warm-up's spooled webhooks as the inbound processor does (reading the spool, recording, settling),
   * each in a PostgreSQL transaction that is rolled back: the code that runs for every real message after green is
   * compiled before it, and nothing stays. Runs beside the calls, up to {@link #PROCESSED} messages.
   */
  private static void processScratch(InboundJournal scratch, InboundProcessor processor, Jdbi jdbi,
      java.util.concurrent.atomic.AtomicBoolean calling, AtomicInteger processed, long deadline)
      throws InterruptedException {
    org.slf4j.MDC.put(MDC_KEY, "true");
    try {
      while (processed.get() < PROCESSED && System.nanoTime() < deadline) {
        boolean more = calling.get();
        for (InboundJournal.Segment segment : scratch.readable()) {
          long processedTo = segment.progress();
          for (InboundJournal.Entry entry : segment.entries()) {
            if (processed.get() >= PROCESSED) {
              break;
            }
            jdbi.useTransaction(handle -> {
              processor.process(entry);
              handle.rollback();
            });
            processed.incrementAndGet();
            processedTo = entry.next();
          }
          segment.processedUpTo(processedTo);
          if (!segment.active()) {
            segment.finished();
          }
        }
        if (!more) {
          return;
        }
        Thread.sleep(50);
      }
    } finally {
      org.slf4j.MDC.remove(MDC_KEY);
    }
  }

  /**
   * Waits until the JIT compiler has worked through what the calls queued: the compilations they set off would
   * otherwise run in the first seconds after green, beside the first real requests (half a core for ~10 s, measured).
   * Settled: under 10 % of a core compiling over the last {@link #SETTLE_WINDOW}.
   */
  private static String compilerSettled(long deadline) throws InterruptedException {
    java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return "not observable";
    }
    long last = jit.getTotalCompilationTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(SETTLE_WINDOW.toMillis());
      long now = jit.getTotalCompilationTime();
      if (now - last < SETTLE_WINDOW.toMillis() / 10) {
        return "settled";
      }
      last = now;
    }
    return "still compiling";
  }

  /** A user and a reminder written and read back in a transaction that is rolled back: nothing stays. */
  private static void rolledBackWrites(Jdbi jdbi) {
    jdbi.useTransaction(handle -> {
      UUID user = UUID.randomUUID();
      UUID reminder = UUID.randomUUID();
      UserDao users = handle.attach(UserDao.class);
      users.insert(user, "warm-up", null, null, "UTC");
      users.find(user);
      ReminderDao reminders = handle.attach(ReminderDao.class);
      reminders.insert(reminder, user, "task_reminder", "{\"task_name\":\"warm-up\"}", null,
          Instant.now().plusSeconds(3600), null, null, null, "ignore", null, null, null, Instant.now());
      reminders.find(reminder);
      handle.rollback();
    });
  }

  private static void clear(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.debug("warm-up scratch spool {} not removed: {}", dir, e.toString());
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }
}
