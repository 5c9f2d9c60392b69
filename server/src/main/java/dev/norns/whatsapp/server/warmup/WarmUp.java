package dev.norns.whatsapp.server.warmup;

import com.codahale.metrics.health.HealthCheck;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.inbound.InboundJournal;
import dev.norns.whatsapp.activities.inbound.InboundMessage;
import dev.norns.whatsapp.server.security.TwilioSignatures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  private static final int THREADS = 8;

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
      InboundJournal scratch) {
    long started = System.nanoTime();
    long deadline = started + budget.toNanos();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "warm-up");
      t.setDaemon(true);
      return t;
    });
    AtomicInteger unexpected = new AtomicInteger();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < THREADS; w++) {
        int worker = w;
        workers.add(pool.submit(() -> {
          int round;
          while ((round = done.getAndIncrement()) < rounds && System.nanoTime() < deadline) {
            if (!round(http, localBase, publicBase, apiKey, signatures, round * THREADS + worker)) {
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
      outcome = String.format("warm: %d rounds of calls to itself in %.1f s%s", Math.min(done.get(), rounds),
          (System.nanoTime() - started) / 1e9, unexpected.get() == 0 ? "" : ", " + unexpected.get() + " unexpected");
    } catch (Exception e) {
      outcome = "warm-up cut short: " + e;
    } finally {
      pool.shutdownNow();
      clear(scratch.dir());
      finished = true;
      log.info("warm-up: {}", outcome);
    }
  }

  /** One round: a signed inbound webhook (scratch spool), a reminder for no user (422), a read of no reminder (404). */
  private static boolean round(HttpClient http, String localBase, String publicBase, String apiKey,
      TwilioSignatures signatures, int n) throws IOException, InterruptedException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", "SMwarmup" + UUID.randomUUID().toString().replace("-", ""));
    form.put("AccountSid", "ACwarmup");
    form.put("From", String.format("whatsapp:+1415555%04d", n % 10000));
    form.put("To", "whatsapp:+14155238886");
    form.put("Body", "warm-up " + n);
    form.put("NumMedia", "0");
    StringBuilder body = new StringBuilder();
    form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
        .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
    int webhook = send(http, HttpRequest.newBuilder(URI.create(localBase + "/whatsapp/webhook"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-Twilio-Signature", signatures.sign(publicBase + "/whatsapp/webhook", form))
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    String reminder = "{\"user_id\":\"" + UUID.randomUUID() + "\",\"template_name\":\"task_reminder\",\"due_at\":\""
        + Instant.now().plus(Duration.ofHours(1)) + "\",\"variables\":{\"task_name\":\"warm-up " + n
        + "\",\"due_time\":\"soon\"}}";
    int schedule = send(http, HttpRequest.newBuilder(URI.create(localBase + "/api/reminders"))
        .header("Content-Type", "application/json").header("X-API-Key", apiKey)
        .POST(HttpRequest.BodyPublishers.ofString(reminder)));
    int read = send(http, HttpRequest.newBuilder(URI.create(localBase + "/api/reminders/" + UUID.randomUUID()))
        .header("X-API-Key", apiKey).GET());
    return webhook == 200 && schedule == 422 && read == 404;
  }

  private static int send(HttpClient http, HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.header(HEADER, new String(TOKEN, StandardCharsets.US_ASCII))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
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
