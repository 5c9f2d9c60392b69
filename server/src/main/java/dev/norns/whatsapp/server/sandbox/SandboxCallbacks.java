package dev.norns.whatsapp.server.sandbox;

import dev.norns.whatsapp.server.security.TwilioSignatures;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Plays Twilio's part after a message is accepted: sent, delivered, read, each posted signed to its StatusCallback. */
public final class SandboxCallbacks implements Managed {
  private static final Logger log = LoggerFactory.getLogger(SandboxCallbacks.class);
  private static final List<String> PROGRESS = List.of("sent", "delivered", "read");
  /** Callbacks posted at once, each waiting for its answer on its own thread. */
  private static final int POSTERS = 8;

  private final Jdbi jdbi;
  private final TwilioSignatures signatures;
  private final Duration step;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicInteger threads = new AtomicInteger();
  // Each callback is posted with the blocking send on one of these threads. HttpClient.sendAsync would hand every
  // answer to CompletableFuture's default executor, which on a machine with fewer than 3 cores starts a new thread
  // per task: a thread started and torn down per callback cost ~5 % of the service's CPU in a sandbox burst.
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(POSTERS, r -> {
    Thread thread = new Thread(r, "sandbox-callbacks-" + threads.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });

  public SandboxCallbacks(Jdbi jdbi, TwilioSignatures signatures, Duration step) {
    this.jdbi = jdbi;
    this.signatures = signatures;
    this.step = step;
  }

  public void accepted(SandboxMessage message) {
    accepted(message, null);
  }

  /**
   * Twilio's callbacks for an accepted message, as {@code fault} (may be null) bends them: a failure reported later
   * (63016, 63024), callbacks late, three times each, in a random order, or none at all (the status still changes,
   * so a lookup sees it).
   */
  public void accepted(SandboxMessage message, SandboxFaults.Fault fault) {
    SandboxFaults.Kind kind = fault == null ? null : fault.kind();
    if (kind != null && kind.failsLater()) {
      scheduler.schedule(() -> advance(message, "failed", String.valueOf(kind.code), kind.message, true),
          step.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    List<String> order = new ArrayList<>(PROGRESS);
    if (kind == SandboxFaults.Kind.CALLBACKS_SHUFFLED) {
      Collections.shuffle(order);
    }
    long delay = kind == SandboxFaults.Kind.CALLBACKS_DELAYED ? fault.delay().toMillis() : 0;
    int copies = kind == SandboxFaults.Kind.CALLBACKS_DUPLICATED ? 3 : 1;
    boolean post = kind != SandboxFaults.Kind.CALLBACKS_NEVER;
    for (int i = 0; i < order.size(); i++) {
      String status = order.get(i);
      for (int copy = 0; copy < copies; copy++) {
        scheduler.schedule(() -> advance(message, status, null, null, post), delay + step.toMillis() * (i + 1),
            TimeUnit.MILLISECONDS);
      }
    }
  }

  /**
   * Twilio keeps reporting on a message whatever happens to us: messages a stopped (or killed) process accepted but
   * had not finished reporting get their remaining callbacks. Called once the HTTP port listens.
   */
  public void resume() {
    List<SandboxMessage> open = jdbi.withExtension(SandboxMessageDao.class, SandboxMessageDao::unfinished);
    for (SandboxMessage message : open) {
      int from = PROGRESS.indexOf(message.status()) + 1;
      for (int i = from; i < PROGRESS.size(); i++) {
        String status = PROGRESS.get(i);
        scheduler.schedule(() -> advance(message, status), step.toMillis() * (i - from + 1), TimeUnit.MILLISECONDS);
      }
    }
    if (!open.isEmpty()) {
      log.info("sandbox: resumed the status callbacks of {} message(s) accepted before a restart", open.size());
    }
  }

  private void advance(SandboxMessage message, String status) {
    advance(message, status, null, null, true);
  }

  private void advance(SandboxMessage message, String status, String errorCode, String errorMessage, boolean post) {
    SandboxMessageDao.status(jdbi, message.sid(), status);
    if (!post || message.statusCallback() == null || message.statusCallback().isBlank()) {
      return;
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("MessageSid", message.sid());
    params.put("SmsSid", message.sid());
    params.put("MessageStatus", status);
    params.put("SmsStatus", status);
    params.put("AccountSid", message.accountSid());
    params.put("From", message.fromNumber());
    params.put("To", message.toNumber());
    params.put("ApiVersion", "2010-04-01");
    params.put("ChannelPrefix", "whatsapp");
    if (errorCode != null) {
      params.put("ErrorCode", errorCode);
      params.put("ErrorMessage", errorMessage);
    }
    String form = SandboxWire.form(params);
    HttpRequest request = HttpRequest.newBuilder(URI.create(message.statusCallback()))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .header("X-Twilio-Signature", signatures.sign(message.statusCallback(), params))
        .header("User-Agent", "TwilioProxy/1.1 (norns-whatsapp sandbox)")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    try {
      int answer = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (answer >= 300) {
        log.warn("sandbox: status callback {} for {} to {} failed: HTTP {}", status, message.sid(),
            message.statusCallback(), answer);
      }
    } catch (IOException e) {
      log.warn("sandbox: status callback {} for {} to {} failed: {}", status, message.sid(), message.statusCallback(),
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }


  @Override
  public void start() {}

  @Override
  public void stop() {
    scheduler.shutdownNow();
  }
}
