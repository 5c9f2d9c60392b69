package dev.norns.whatsapp.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The service as a user starts it, in a process of its own ({@code server config.yml} with environment variables),
 * so a test can {@code kill -9} it and start it again on the same data: the embedded default's PostgreSQL and
 * Temporal dev server included.
 */
public final class ChildService implements AutoCloseable {
  public static final String API_KEY = "child-api-key-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Map<String, String> env;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private int starts;

  /** A service whose data all lives under {@code dir}, on free ports. */
  public ChildService(Path dir, Map<String, String> extraEnv) {
    this.dir = dir;
    this.env = new HashMap<>(Map.of(
        "PORT", Integer.toString(TestTemporal.freePort()),
        "ADMIN_PORT", Integer.toString(TestTemporal.freePort()),
        "TEMPORAL_EMBEDDED_PORT", Integer.toString(TestTemporal.freePort()),
        "TEMPORAL_UI_PORT", Integer.toString(TestTemporal.freePort()),
        "TEMPORAL_DATA_DIR", dir.resolve("temporal").toString(),
        "EMBEDDED_POSTGRES_DIR", dir.resolve("postgres").toString(),
        "INBOUND_SPOOL_DIR", dir.resolve("spool").toString(),
        "NORNS_API_KEY", API_KEY,
        "REDIS_KEY_PREFIX", "child-" + dir.getFileName() + ":",
        "WARM_UP", "false"));
    env.putAll(extraEnv);
  }

  public ChildService set(String variable, String value) {
    env.put(variable, value);
    return this;
  }

  /** Starts the service and waits until its health check is green; fails with its log otherwise. */
  public ChildService start(Duration timeout) {
    Path config = projectFile("config.yml");
    ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        "dev.norns.whatsapp.server.NornsWhatsAppApplication", "server", config.toString()))
        .directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    builder.environment().putAll(env);
    try {
      Files.createDirectories(dir);
      process = builder.start();
      starts++;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the service exited with " + process.exitValue() + " at start " + starts
            + ":\n" + tail());
      }
      if (healthy()) {
        return this;
      }
      sleep(200);
    }
    throw new AssertionError("the service was not healthy within " + timeout + " at start " + starts + ":\n"
        + tail());
  }

  public boolean healthy() {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(admin() + "/healthcheck")).timeout(Duration.ofSeconds(3))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** kill -9: no shutdown hook, no orderly stop of the child servers. */
  public void kill9() {
    process.destroyForcibly();
    process.toHandle().onExit().join();
  }

  /** An orderly stop (SIGTERM), as an operator's Ctrl-C or systemd would. */
  public void stop() {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.toHandle().onExit().join();
    }
  }

  public String api() {
    return "http://127.0.0.1:" + env.get("PORT");
  }

  public String admin() {
    return "http://127.0.0.1:" + env.get("ADMIN_PORT");
  }

  public String ui() {
    return "http://127.0.0.1:" + env.get("TEMPORAL_UI_PORT");
  }

  public Path dir() {
    return dir;
  }

  public Path log() {
    return dir.resolve("service.log");
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  public JsonNode get(String url) {
    return call(HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : api() + url))
        .header("X-API-Key", API_KEY).GET());
  }

  public JsonNode post(String path, String json) {
    return call(HttpRequest.newBuilder(URI.create(api() + path)).header("X-API-Key", API_KEY)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** An answer with its status, for calls expected to fail. */
  public record Reply(int status, String body) {}

  public Reply send(String method, String path, String json) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api() + path))
          .header("X-API-Key", API_KEY).header("Content-Type", "application/json")
          .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
          .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonNode call(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new AssertionError(response.statusCode() + " " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static Path projectFile(String name) {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.exists(d.resolve(name)) && Files.exists(d.resolve("server"))) {
        return d.resolve(name);
      }
    }
    throw new IllegalStateException(name + " not found");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
