package dev.norns.whatsapp.server.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.server.NornsWhatsAppApplication;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import dev.norns.whatsapp.server.testing.TestTemporal;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The whole service as a user runs it: the project's own config.yml, a real Temporal server (the test run's dev
 * server, a namespace of its own), the Twilio sandbox, the machine's real PostgreSQL (a fresh database) and Redis;
 * only the ports are free ones.
 */
public final class RunningApp implements AutoCloseable {
  private io.temporal.serviceclient.WorkflowServiceStubs stubs;
  public static final String API_KEY = "test-api-key-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final DropwizardTestSupport<NornsConfiguration> support;
  private final Path spool;
  private final String namespace;

  static Path tempDir() {
    try {
      return Files.createTempDirectory("norns-spool");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A port free right now. */
  public static int freePort() {
    return TestTemporal.freePort();
  }

  public Path spool() {
    return spool;
  }

  /** The app on the test run's Temporal server, in a namespace of its own. */
  public RunningApp(TestDatabase db, ConfigOverride... extra) {
    this(db, tempDir(), TestTemporal.shared().newNamespace(), extra);
  }

  /** An app whose inbound spool is {@code spool}: a restart with the same spool finds what was left in it. */
  public RunningApp(TestDatabase db, Path spool, ConfigOverride... extra) {
    this(db, spool, TestTemporal.shared().newNamespace(), extra);
  }

  /** A second instance beside {@code other}: same Temporal namespace (as on a cluster), database {@code db}. */
  public static RunningApp beside(RunningApp other, TestDatabase db, ConfigOverride... extra) {
    return new RunningApp(db, tempDir(), other.namespace, extra);
  }

  private RunningApp(TestDatabase db, Path spool, String namespace, ConfigOverride... extra) {
    this.spool = spool;
    this.namespace = namespace;
    List<ConfigOverride> overrides = new ArrayList<>(List.of(
        ConfigOverride.config("inboundSpoolDir", spool.toString()),
        ConfigOverride.config("redisKeyPrefix", "test-" + db.url().substring(db.url().lastIndexOf('/') + 1) + ":"),
        ConfigOverride.config("server.applicationConnectors[0].port", "0"),
        ConfigOverride.config("server.adminConnectors[0].port", "0"),
        ConfigOverride.config("temporal.address", TestTemporal.shared().target()),
        ConfigOverride.config("temporal.namespace", namespace),
        ConfigOverride.config("temporal.registerSearchAttributes", "true"),
        ConfigOverride.config("database.url", db.url()),
        ConfigOverride.config("database.user", db.user()),
        ConfigOverride.config("apiKey", API_KEY),
        // Tests start many instances: the warm-up has its own test (EmbeddedDefaultAppTest).
        ConfigOverride.config("warmUp", "false")));
    overrides.addAll(List.of(extra));
    support = new DropwizardTestSupport<>(NornsWhatsAppApplication.class, configYml().toString(),
        overrides.toArray(ConfigOverride[]::new));
  }

  /** The Temporal address and namespace this app uses, for clients outside it (operator commands, the CLI). */
  public String temporalAddress() {
    return TestTemporal.shared().target();
  }

  public String namespace() {
    return namespace;
  }

  /** A Temporal client of this app's namespace, from outside the app (what an operator's tools see); closed with it. */
  public synchronized io.temporal.client.WorkflowClient temporalClient() {
    if (stubs == null) {
      stubs = io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
          io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder().setTarget(temporalAddress()).build());
    }
    return io.temporal.client.WorkflowClient.newInstance(stubs,
        io.temporal.client.WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
  }

  /** The project's config.yml, found from the module or the repository root. */
  static Path configYml() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("config.yml")) && Files.exists(dir.resolve("server"))) {
        return dir.resolve("config.yml");
      }
    }
    throw new IllegalStateException("config.yml not found above " + Path.of("").toAbsolutePath());
  }

  public RunningApp start() {
    try {
      support.before();
    } catch (Exception e) {
      throw new IllegalStateException("the app did not start", e);
    }
    return this;
  }

  public String base() {
    return "http://localhost:" + support.getLocalPort();
  }

  /** The running app's Jersey configuration: its resource model, for tests that enumerate every route. */
  public org.glassfish.jersey.server.ResourceConfig jersey() {
    return support.getEnvironment().jersey().getResourceConfig();
  }

  public NornsConfiguration configuration() {
    return support.getConfiguration();
  }

  public int port() {
    return support.getLocalPort();
  }

  public int adminPort() {
    return support.getAdminPort();
  }

  public String admin() {
    return "http://localhost:" + support.getAdminPort();
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base() + path)).header("X-API-Key", API_KEY).GET());
  }

  public Reply delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base() + path)).header("X-API-Key", API_KEY).DELETE());
  }

  public Reply post(String path, String json) {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Reply patch(String path, String json) {
    return send(request(path).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  public Reply put(String path, String json) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base() + path)).header("X-API-Key", API_KEY)
        .header("Content-Type", "application/json");
  }

  public Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A user with a phone number; returns the user id. */
  public String createUser(String phone) {
    Reply reply = post("/api/users", "{\"display_name\":\"Ada\",\"phone_number\":\"" + phone
        + "\",\"quiet_hours\":{\"enabled\":false}}");
    if (reply.status() != 201) {
      throw new IllegalStateException("user not created: " + reply);
    }
    return reply.json().get("user_id").asText();
  }

  /** Waits up to {@code timeout} for {@code condition}; fails with {@code what} otherwise. */
  public static void eventually(Duration timeout, String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.get()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("not within " + timeout + ": " + what);
  }

  @Override
  public void close() {
    if (stubs != null) {
      stubs.shutdownNow();
    }
    support.after();
  }

  /** An HTTP answer. */
  public record Reply(int status, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }
  }
}
