import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import dev.norns.whatsapp.activities.twilio.SingleShotHttpClient;
import dev.norns.whatsapp.activities.twilio.TwilioSettings;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's yardstick: a bare twilio-java send loop (Message.creator(...).create, nothing else: no database, no
 * Temporal, no rate limit) against the same sandbox the service sends to, over the same HTTP transport, sending the
 * same kind of message (a Content template outside the session window). Prints
 * "sent N in S s". WARM sends first, untimed, so that the loop is timed compiled, as the service's sends are once it has
 * run a while. Run with the service jar on the class path:
 * java -cp server/target/norns-whatsapp.jar bench/BareSendLoop.java BASE_URL ACCOUNT_SID AUTH_TOKEN N THREADS [WARM]
 */
public class BareSendLoop {
  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    URI base = URI.create(args[0]);
    int n = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    int warm = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    TwilioSettings settings = new TwilioSettings(args[1], args[2], "whatsapp:+14155238886", base,
        Duration.ofSeconds(5), Duration.ofSeconds(15));
    TwilioRestClient client = new TwilioRestClient.Builder(args[1], args[2])
        .httpClient(new SingleShotHttpClient(settings)).build();
    if (warm > 0) {
      loop(client, "bare warm-up ", warm, threads);
    }
    long start = System.nanoTime();
    int sent = loop(client, "bare loop ", n, threads);
    System.out.printf("sent %d in %.3f s (%d failed)%n", sent, (System.nanoTime() - start) / 1e9, n - sent);
  }

  /** n messages sent by `threads` threads at once; returns how many Twilio (the sandbox) accepted. */
  private static int loop(TwilioRestClient client, String text, int n, int threads) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    for (int t = 0; t < threads; t++) {
      pool.execute(() -> {
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
          try {
            Message.creator(new PhoneNumber("whatsapp:+1415666" + String.format("%04d", i % 10000)),
                new PhoneNumber("whatsapp:+14155238886"), text + i)
                .setContentSid("HX0123456789abcdef0123456789abcdef")
                .setContentVariables("{\"1\":\"" + text + i + "\",\"2\":\"now\"}").create(client);
            sent.incrementAndGet();
          } catch (RuntimeException e) {
            if (failed.incrementAndGet() == 1) {
              System.err.println("first failure: " + e);
            }
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    return sent.get();
  }
}
