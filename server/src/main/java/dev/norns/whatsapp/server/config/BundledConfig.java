package dev.norns.whatsapp.server.config;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * The project's config.yml, bundled in the jar: what {@code server} (or {@code check}) runs on when no config file is
 * given, so {@code java -jar norns-whatsapp.jar server} starts on the defaults, every {@code ${VAR:-default}} still
 * read from the environment.
 */
public final class BundledConfig implements ConfigurationSourceProvider {
  /** The name that stands for the bundled file on the command line. */
  public static final String NAME = "bundled:config.yml";
  private static final Set<String> COMMANDS = Set.of("server", "check");

  private final ConfigurationSourceProvider files;

  public BundledConfig(ConfigurationSourceProvider files) {
    this.files = files;
  }

  @Override
  public InputStream open(String path) throws IOException {
    if (!NAME.equals(path)) {
      return files.open(path);
    }
    InputStream bundled = BundledConfig.class.getClassLoader().getResourceAsStream("norns/config.yml");
    if (bundled == null) {
      throw new FileNotFoundException("the jar has no bundled config.yml; give a config file");
    }
    return bundled;
  }

  /** {@code server} or {@code check} alone: the same with the bundled config; any other command line as it is. */
  public static String[] orBundled(String... args) {
    if (args.length == 1 && COMMANDS.contains(args[0])) {
      return new String[] {args[0], NAME};
    }
    return args;
  }
}
