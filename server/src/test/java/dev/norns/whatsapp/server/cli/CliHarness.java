package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.server.NornsWhatsAppApplication;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Runs the application's commands in process the way {@code java -jar} does (Dropwizard's {@link Cli}, the app's own
 * bootstrap), capturing stdout and stderr; and writes the temporary config.yml copies they read.
 */
final class CliHarness {
  private CliHarness() {}

  /** What a command did: the error it failed with (empty: exit 0), and what it printed. */
  record Result(Optional<Throwable> error, String out, String err) {
    boolean succeeded() {
      return error.isEmpty();
    }
  }

  static synchronized Result run(String... args) {
    // A running test app leaves its dw.* overrides in the system properties; a real command never sees them.
    Properties overrides = new Properties();
    System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("dw."))
        .forEach(k -> overrides.setProperty(k, System.getProperty(k)));
    overrides.stringPropertyNames().forEach(System::clearProperty);
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      NornsWhatsAppApplication application = new NornsWhatsAppApplication();
      Bootstrap<NornsConfiguration> bootstrap = new Bootstrap<>(application);
      application.initialize(bootstrap);
      Cli cli = new Cli(new JarLocation(CliHarness.class), bootstrap, out, err);
      Optional<Throwable> error = cli.run(NornsWhatsAppApplication.commandLine(args));
      return new Result(error, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
      overrides.forEach((k, v) -> System.setProperty((String) k, (String) v));
    }
  }

  /**
   * A copy of the project's config.yml with some {@code ${VAR:-default}} settings replaced by fixed values (tests
   * cannot set environment variables). Keys are the exact text in config.yml; each must be there.
   */
  static Path config(Path dir, Map<String, String> replacements) {
    try {
      String text = Files.readString(configYml());
      for (Map.Entry<String, String> e : replacements.entrySet()) {
        if (!text.contains(e.getKey())) {
          throw new IllegalStateException("config.yml no longer contains " + e.getKey());
        }
        text = text.replace(e.getKey(), e.getValue());
      }
      Path file = Files.createTempFile(dir, "config", ".yml");
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The usual replacements: this database, this Temporal server and namespace, no template SID. */
  static Map<String, String> settings(String dbUrl, String dbUser, String temporalAddress, String namespace) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("${DATABASE_URL:-}", dbUrl);
    settings.put("${DATABASE_USER:-postgres}", dbUser);
    settings.put("${TEMPORAL_ADDRESS:-}", temporalAddress);
    settings.put("${TEMPORAL_NAMESPACE:-}", namespace);
    settings.put("${WA_TEMPLATE_TASK_REMINDER:-}", "\"\"");
    return settings;
  }

  /** The usual replacements for the embedded default: no Temporal address, the embedded server on {@code port}. */
  static Map<String, String> embeddedSettings(String dbUrl, String dbUser, int port) {
    Map<String, String> settings = settings(dbUrl, dbUser, "\"\"", "default");
    settings.put("${TEMPORAL_EMBEDDED_PORT:-7233}", Integer.toString(port));
    return settings;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path configYml() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("config.yml")) && Files.exists(dir.resolve("server"))) {
        return dir.resolve("config.yml");
      }
    }
    throw new IllegalStateException("config.yml not found above " + Path.of("").toAbsolutePath());
  }
}
