package dev.norns.whatsapp.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.norns.whatsapp.server.cli.ConfigCheckCommand;
import dev.norns.whatsapp.server.config.BundledConfig;
import dev.norns.whatsapp.server.cli.DbCommand;
import dev.norns.whatsapp.server.cli.ReconcileCommand;
import dev.norns.whatsapp.server.cli.RemindersCommand;
import dev.norns.whatsapp.server.cli.SendTestCommand;
import dev.norns.whatsapp.server.cli.SessionCommand;
import dev.norns.whatsapp.server.cli.TemplatesCommand;
import dev.norns.whatsapp.server.cli.UsersCommand;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import dev.norns.whatsapp.server.errors.StorableText;
import dev.norns.whatsapp.server.api.validation.RequestValidation;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;

/** norns-whatsapp: WhatsApp reminders as durable Temporal workflows. Wiring only: see {@link Wiring}. */
public class NornsWhatsAppApplication extends Application<NornsConfiguration> {

  /**
   * The command line as the commands read it: {@code templates sync …} is {@code templates-sync …} (Dropwizard names
   * a command with one word), and {@code server} or {@code check} alone runs on the bundled config.
   */
  public static String[] commandLine(String... args) {
    String[] line = args;
    if (args.length >= 2 && "templates".equals(args[0]) && "sync".equals(args[1])) {
      line = new String[args.length - 1];
      line[0] = dev.norns.whatsapp.server.cli.TemplatesSyncCommand.NAME;
      System.arraycopy(args, 2, line, 1, args.length - 2);
    }
    return BundledConfig.orBundled(line);
  }

  public static void main(String[] args) throws Exception {
    new NornsWhatsAppApplication().run(commandLine(args));
  }

  @Override
  public String getName() {
    return "norns-whatsapp";
  }

  @Override
  public void initialize(Bootstrap<NornsConfiguration> bootstrap) {
    // ${VAR:-default} in config.yml: secrets and endpoints come from the environment only.
    // No config file given: the project's config.yml bundled in the jar (BundledConfig).
    bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
        new BundledConfig(bootstrap.getConfigurationSourceProvider()), new EnvironmentVariableSubstitutor(false, true)));
    // Request records' constraints (and config.yml's) name fields as JSON and YAML do: user_id, not userId.
    bootstrap.setValidatorFactory(RequestValidation.factory());
    // Operator commands (the runbook's procedures): java -jar norns-whatsapp.jar <command> [options] config.yml
    bootstrap.addCommand(new SessionCommand());
    bootstrap.addCommand(new TemplatesCommand());
    bootstrap.addCommand(new dev.norns.whatsapp.server.cli.TemplatesSyncCommand());
    bootstrap.addCommand(new UsersCommand());
    bootstrap.addCommand(new RemindersCommand());
    bootstrap.addCommand(new SendTestCommand());
    bootstrap.addCommand(new DbCommand());
    bootstrap.addCommand(new ReconcileCommand());
    bootstrap.addCommand(new ConfigCheckCommand(this));
  }

  /** {@code server}, and {@code check} as {@link ConfigCheckCommand} (added in initialize, with the others). */
  @Override
  protected void addDefaultCommands(Bootstrap<NornsConfiguration> bootstrap) {
    bootstrap.addCommand(new io.dropwizard.core.cli.ServerCommand<>(this));
  }

  @Override
  public void run(NornsConfiguration config, Environment environment) {
    environment.getObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    // Strict input: a field the API does not know is a 422 naming it, never silently dropped ("recurrence", "dueAt").
    environment.getObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    environment.getObjectMapper().registerModule(StorableText.module());
    dev.norns.whatsapp.server.logging.EvictionNoiseFilter.install();
    new Wiring(config, environment).wire();
  }
}
