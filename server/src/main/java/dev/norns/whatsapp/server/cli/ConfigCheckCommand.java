package dev.norns.whatsapp.server.cli;

import dev.norns.whatsapp.server.config.ConfigProblems;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import java.util.List;
import net.sourceforge.argparse4j.inf.Namespace;

/**
 * {@code check}: Dropwizard's (the YAML parses, the constraints hold) and everything else {@code server} would refuse
 * (see {@link ConfigProblems}); each problem on one line of its own, and a non-zero exit.
 */
public final class ConfigCheckCommand extends CheckCommand<NornsConfiguration> {
  public ConfigCheckCommand(Application<NornsConfiguration> application) {
    super(application);
  }

  @Override
  protected void run(Bootstrap<NornsConfiguration> bootstrap, Namespace namespace, NornsConfiguration config)
      throws Exception {
    List<String> problems = ConfigProblems.of(config);
    if (!problems.isEmpty()) {
      throw new InvalidConfiguration(problems);
    }
    super.run(bootstrap, namespace, config);
  }

  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (e instanceof InvalidConfiguration invalid) {
      invalid.problems.forEach(problem -> cli.getStdErr().println("configuration refused: " + problem));
      return;
    }
    super.onError(cli, namespace, e);
  }

  /** What {@code server} would refuse, one problem per entry. */
  static final class InvalidConfiguration extends Exception {
    private final transient List<String> problems;

    InvalidConfiguration(List<String> problems) {
      super(String.join("; ", problems), null, false, false);
      this.problems = problems;
    }
  }
}
