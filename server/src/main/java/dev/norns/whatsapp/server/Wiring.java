package dev.norns.whatsapp.server;

import dev.norns.whatsapp.activities.db.Database;
import dev.norns.whatsapp.activities.inbound.InboundActivitiesImpl;
import dev.norns.whatsapp.activities.inbound.InboundJournal;
import dev.norns.whatsapp.activities.inbound.InboundRecorder;
import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.activities.reminder.DeliveryLedger;
import dev.norns.whatsapp.activities.reminder.ReminderActivitiesImpl;
import dev.norns.whatsapp.activities.reminder.SendDispatcher;
import dev.norns.whatsapp.activities.reminder.SendRateLimiter;
import dev.norns.whatsapp.activities.reminder.WhatsAppSendActivitiesImpl;
import dev.norns.whatsapp.activities.session.SessionCache;
import dev.norns.whatsapp.activities.session.SessionWindows;
import dev.norns.whatsapp.activities.templates.TemplateRegistry;
import dev.norns.whatsapp.activities.twilio.TwilioMessageSender;
import dev.norns.whatsapp.activities.twilio.TwilioSettings;
import dev.norns.whatsapp.server.config.ConfigProblems;
import dev.norns.whatsapp.server.config.NornsConfiguration;
import dev.norns.whatsapp.server.config.Roles;
import dev.norns.whatsapp.server.config.TwilioFactory;
import dev.norns.whatsapp.server.core.InboundProcessor;
import dev.norns.whatsapp.server.core.Reconciler;
import dev.norns.whatsapp.server.core.ReminderRequests;
import dev.norns.whatsapp.server.core.ReminderService;
import dev.norns.whatsapp.server.core.SeriesActivitiesImpl;
import dev.norns.whatsapp.server.core.SeriesService;
import dev.norns.whatsapp.server.docs.DocsResource;
import dev.norns.whatsapp.server.docs.OpenApiResource;
import dev.norns.whatsapp.server.resources.SeriesResource;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.server.core.StatusRelay;
import dev.norns.whatsapp.server.core.WorkflowStarter;
import dev.norns.whatsapp.server.errors.DependencyUnavailableException;
import dev.norns.whatsapp.server.warmup.WarmUp;
import dev.norns.whatsapp.server.db.EmbeddedPostgresServer;
import dev.norns.whatsapp.server.errors.ErrorMappers;
import dev.norns.whatsapp.server.errors.JsonErrorHandler;
import dev.norns.whatsapp.server.health.DownSince;
import dev.norns.whatsapp.server.health.PostgresHealthCheck;
import dev.norns.whatsapp.server.health.RedisHealthCheck;
import dev.norns.whatsapp.server.health.TemplatesHealthCheck;
import dev.norns.whatsapp.server.health.TemporalHealthCheck;
import dev.norns.whatsapp.server.health.TwilioHealthCheck;
import dev.norns.whatsapp.server.metrics.PrometheusServlet;
import dev.norns.whatsapp.server.metrics.WebhookTimingFilter;
import dev.norns.whatsapp.server.resources.InboundWebhookResource;
import dev.norns.whatsapp.server.resources.RemindersResource;
import dev.norns.whatsapp.server.resources.SendResource;
import dev.norns.whatsapp.server.resources.SessionResource;
import dev.norns.whatsapp.server.resources.StatusCallbackResource;
import dev.norns.whatsapp.server.resources.TemplatesResource;
import dev.norns.whatsapp.server.resources.UsersResource;
import dev.norns.whatsapp.server.sandbox.SandboxAccount;
import dev.norns.whatsapp.server.sandbox.SandboxCallbacks;
import dev.norns.whatsapp.server.sandbox.SandboxInboundResource;
import dev.norns.whatsapp.server.sandbox.SandboxFaults;
import dev.norns.whatsapp.server.sandbox.SandboxFaultsResource;
import dev.norns.whatsapp.server.sandbox.SandboxResource;
import dev.norns.whatsapp.server.sandbox.SandboxTwilioResource;
import dev.norns.whatsapp.server.security.AccessFeature;
import dev.norns.whatsapp.server.security.AdminAccess;
import dev.norns.whatsapp.server.security.ApiKeys;
import dev.norns.whatsapp.server.security.TwilioSignatureFilter;
import dev.norns.whatsapp.server.security.TwilioSignatures;
import dev.norns.whatsapp.server.temporal.TemporalRuntime;
import com.uber.m3.tally.RootScopeBuilder;
import io.dropwizard.core.setup.Environment;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.lifecycle.ServerLifecycleListener;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Server;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds every part from the configuration and registers it with Dropwizard; nothing else. */
final class Wiring {
  private static final Logger log = LoggerFactory.getLogger(Wiring.class);
  private volatile long stoppingSince;
  private final AtomicReference<TwilioSettings> twilioSettings = new AtomicReference<>();
  /** The warm-up stops at whichever comes first. */
  private static final java.time.Duration WARM_UP_BUDGET = java.time.Duration.ofSeconds(25);
  private static final int WARM_UP_ROUNDS = 1500;

  private final NornsConfiguration config;
  private final Environment environment;
  private final Clock clock = Clock.systemUTC();
  private final AtomicReference<String> publicBaseUrl = new AtomicReference<>();
  private final AtomicReference<String> localBaseUrl = new AtomicReference<>();

  Wiring(NornsConfiguration config, Environment environment) {
    this.config = config;
    this.environment = environment;
  }

  void wire() {
    Roles roles = config.roles();
    TwilioFactory twilio = config.getTwilio();
    // The same list `check` prints: what one accepts the other starts with.
    List<String> problems = ConfigProblems.of(config);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(String.join("; ", problems));
    }
    Jdbi jdbi = database();
    SessionCache cache = new SessionCache(URI.create(config.getRedisUrl()), config.getRedisKeyPrefix(),
        Duration.ofMillis(250), clock);
    environment.lifecycle().manage(new io.dropwizard.lifecycle.Managed() {
      @Override
      public void stop() {
        cache.close();
      }
    });
    SessionWindows sessions = new SessionWindows(jdbi, cache, clock);
    PhoneNumbers phones = new PhoneNumbers(config.getDefaultPhoneRegion());
    SandboxAccount sandbox = twilio.sandbox() ? SandboxAccount.of(twilio.sandboxCredentials()) : null;
    SandboxFaults sandboxFaults = SandboxFaults.parse(twilio.getSandboxFaults());
    TemplateRegistry templates = Templates.registry(config.getTemplates(), sandbox != null);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    // Dropwizard's own metrics on the same /prometheus: Jetty's requests, responses, connections and thread pools, the
    // PostgreSQL connection pool, JDBI's per-query timers, log lines by level. The JVM's come from Micrometer's
    // binders above, the webhooks' from ChannelMetrics (Jersey's @Timed names would clash with them).
    io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports.builder()
        .dropwizardRegistry(environment.metrics())
        .metricFilter((name, metric) -> name.startsWith("io.dropwizard.") || name.startsWith("org.eclipse.jetty.")
            || name.startsWith("ch.qos.logback.") || name.contains("Dao.") || name.equals("sql.raw"))
        .register(registry.getPrometheusRegistry());
    ChannelMetrics metrics = new ChannelMetrics(registry);
    // The Redis breaker's state and calls (resilience4j_circuitbreaker_*{name="redis"}).
    io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry breakers =
        io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.ofDefaults();
    io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers)
        .bindTo(registry);
    breakers.circuitBreaker(cache.breaker().getName());
    breakers.replace(cache.breaker().getName(), cache.breaker());
    metrics.senderMps(config.getTwilio().getSenderMps());
    environment.admin().addServlet("prometheus", new PrometheusServlet(registry)).addMapping("/prometheus");
    TemporalRuntime temporal = TemporalRuntime.connect(config.getTemporal(), new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry)).reportEvery(com.uber.m3.util.Duration.ofSeconds(10)));
    environment.lifecycle().manage(temporal);
    DeliveryLedger ledger = new DeliveryLedger(jdbi);
    StatusRelay relay = new StatusRelay(jdbi, temporal.client(), ledger);
    environment.lifecycle().manage(relay);
    // The dispatcher starts with the workers (it needs the HTTP port); it stops before the relay and the database.
    AtomicReference<SendDispatcher> dispatching = new AtomicReference<>();
    environment.lifecycle().manage(new io.dropwizard.lifecycle.Managed() {
      @Override
      public void stop() throws InterruptedException {
        SendDispatcher dispatcher = dispatching.get();
        if (dispatcher != null) {
          dispatcher.stop();
        }
      }
    });
    ReminderService reminders = new ReminderService(jdbi, temporal.apiClient(),
        new ReminderRequests(jdbi, templates, clock), config.getReminders().getConfirmTimeout(),
        config.getReminders().getReadTimeout(), config.getReminders().dispatch(), config.getReminders().getInlineStarts(), clock);
    SeriesService series = new SeriesService(jdbi, temporal.apiClient(), new ReminderRequests(jdbi, templates, clock),
        reminders, clock);
    WorkflowStarter starter = new WorkflowStarter(jdbi, reminders);
    reminders.onWorkflowToStart(starter::wake, starter::busy);
    environment.lifecycle().manage(starter);
    io.micrometer.core.instrument.Gauge.builder("norns_reminder_workflows_to_start", jdbi,
            db -> db.withExtension(ReminderDao.class, ReminderDao::workflowsToStart))
        .description("reminders stored whose workflows the starter has still to start").register(registry);

    TwilioSignatures signatures = new TwilioSignatures(sandbox != null ? sandbox.authToken() : twilio.getAuthToken());
    ApiKeys keys = apiKeys();
    environment.jersey().register(new AccessFeature(keys, new TwilioSignatureFilter(signatures, publicBaseUrl::get)));
    AdminAccess.protect(environment.admin(), keys, config.adminThreads());
    environment.getApplicationContext().setErrorHandler(new JsonErrorHandler());
    environment.getAdminContext().setErrorHandler(new JsonErrorHandler());
    environment.lifecycle().addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
      @Override
      public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
        if (event instanceof Server server) {
          server.setErrorHandler(new JsonErrorHandler());
        }
      }

      /**
       * An ordered stop, said in two lines: Jetty stops taking requests and finishes those in flight, then the managed
       * parts stop in reverse order of start (inbound spool processor, workflow starter, dispatcher after its sends in
       * flight, workers, status relay, Temporal client, the embedded Temporal server, PostgreSQL).
       */
      @Override
      public void lifeCycleStopping(org.eclipse.jetty.util.component.LifeCycle event) {
        if (event instanceof Server) {
          stoppingSince = System.nanoTime();
          temporal.stopping();
          log.info("norns-whatsapp stopping: no new requests; sends in flight finish, then workers, Temporal and "
              + "PostgreSQL stop in turn");
        }
      }

      @Override
      public void lifeCycleStopped(org.eclipse.jetty.util.component.LifeCycle event) {
        if (event instanceof Server) {
          log.info("norns-whatsapp stopped in {} ms", (System.nanoTime() - stoppingSince) / 1_000_000);
          dev.norns.whatsapp.server.logging.LastLines.writeOutIfExiting();
        }
      }
    });
    for (Object mapper : ErrorMappers.all()) {
      environment.jersey().register(mapper);
    }
    environment.jersey().register(new WebhookTimingFilter(metrics));
    InboundJournal journal = new InboundJournal(Path.of(config.getInboundSpoolDir()));
    WarmUp warmUp = new WarmUp(WARM_UP_BUDGET, WARM_UP_ROUNDS);
    environment.healthChecks().register("warm-up", warmUp);
    InboundJournal warmUpSpool = config.warmUp() && roles.api() ? WarmUp.scratchJournal() : null;
    InboundProcessor inboundProcessor = new InboundProcessor(journal,
        new InboundRecorder(jdbi, sessions, phones, agentForwardUrl() != null, metrics),
        temporal.client());
    environment.lifecycle().manage(inboundProcessor);
    if (roles.api()) {
      environment.jersey().register(new UsersResource(jdbi, phones, sessions, reminders, series));
      environment.jersey().register(new RemindersResource(reminders, series));
      environment.jersey().register(new SeriesResource(series));
      environment.jersey().register(new OpenApiResource(() -> resourceTypes(environment),
          String.valueOf(java.util.Objects.requireNonNullElse(Wiring.class.getPackage().getImplementationVersion(),
              "dev"))));
      environment.jersey().register(new DocsResource());
      environment.jersey().register(new SendResource(reminders, clock));
      environment.jersey().register(new StatusCallbackResource(ledger, relay, metrics));
      environment.jersey().register(new InboundWebhookResource(journal, warmUpSpool, inboundProcessor, phones,
          clock));
      environment.jersey().register(new SessionResource(sessions, phones));
      environment.jersey().register(TemplatesResource.configured(config.getTemplates()));
      environment.jersey().register(new dev.norns.whatsapp.server.resources.TemplateSyncResource(
          new dev.norns.whatsapp.server.core.TemplateSync(jdbi, templates, () -> {
            TwilioSettings current = twilioSettings.get();
            if (current == null) {
              throw new DependencyUnavailableException("Twilio", "the service is still starting");
            }
            return new dev.norns.whatsapp.activities.twilio.TwilioContentApi(current);
          })));
    }
    SandboxCallbacks callbacks = sandbox == null ? null
        : new SandboxCallbacks(jdbi, signatures, Duration.ofMillis(300));
    if (sandbox != null) {
      environment.lifecycle().manage(callbacks);
      environment.jersey().register(new SandboxTwilioResource(sandbox, jdbi, sessions, phones, callbacks,
          sandboxFaults, twilio.getSandboxLatency(), twilio.getRequestTimeout().plusSeconds(2), templates, clock));
      environment.jersey().register(new SandboxFaultsResource(sandboxFaults, phones));
      environment.jersey().register(new SandboxResource(jdbi));
      environment.jersey().register(new dev.norns.whatsapp.server.sandbox.SandboxContentResource(sandbox, templates));
      environment.jersey().register(new SandboxInboundResource(sandbox, signatures, phones, publicBaseUrl::get,
          localBaseUrl::get));
      log.info("twilio: no credentials set, using the built-in sandbox (GET /sandbox/messages)");
    }

    // Each dependency's check says which one is down, since when, and why, at once (Dropwizard's JDBI check said
    // only "Unable to successfully check in 5 seconds").
    environment.healthChecks().unregister("postgres");
    environment.healthChecks().register("postgres", new DownSince("PostgreSQL", new PostgresHealthCheck(jdbi), clock));
    environment.healthChecks().register("redis", new DownSince("Redis", new RedisHealthCheck(cache), clock));
    environment.healthChecks().register("temporal", new DownSince("Temporal",
        new TemporalHealthCheck(temporal, roles.worker()), clock));
    environment.healthChecks().register("twilio", new TwilioHealthCheck(sandbox != null,
        sandbox != null ? sandbox.accountSid() : twilio.getAccountSid()));
    environment.healthChecks().register("templates", new TemplatesHealthCheck(templates, jdbi));

    // Workers start once the HTTP port is known: the sandbox and the callback URLs both need it.
    environment.lifecycle().addServerLifecycleListener(new ServerLifecycleListener() {
      @Override
      public void serverStarted(Server server) {
        int port = getLocalPort(server);
        localBaseUrl.set("http://127.0.0.1:" + port);
        String base = config.getPublicBaseUrl() == null || config.getPublicBaseUrl().isBlank()
            ? "http://localhost:" + port : config.getPublicBaseUrl().strip().replaceAll("/+$", "");
        publicBaseUrl.set(base);
        TwilioSettings settings = sandbox != null
            ? new TwilioSettings(sandbox.accountSid(), sandbox.authToken(), sandbox.whatsappFrom(),
                URI.create("http://127.0.0.1:" + port), twilio.getConnectTimeout(), twilio.getRequestTimeout())
            : twilio.realSettings();
        twilioSettings.set(settings);
        if (roles.worker()) {
          // A send counts against every second until its answer is back; one whose instance died counts until no
          // answer could still come.
          SendRateLimiter rate = new SendRateLimiter(jdbi, twilio.getSenderMps(), Duration.ofSeconds(20),
              settings.connectTimeout().plus(settings.requestTimeout()).plusSeconds(5));
          io.micrometer.core.instrument.FunctionCounter.builder("norns.sender.spanning.sends", rate,
              SendRateLimiter::spanningSends).description("Sends whose request was in flight across the end of a "
                  + "second, so that each took a slot of both seconds").register(metrics.registry());
          WhatsAppSendActivitiesImpl sends = new WhatsAppSendActivitiesImpl(jdbi, sessions,
              new TwilioMessageSender(settings), rate, templates, URI.create(base), twilio.getAmbiguityGrace(), clock,
              metrics);
          SendDispatcher dispatcher = new SendDispatcher(jdbi, sends, rate,
              // A taken row is sent within one Twilio call (or handed back): the lease outlasts two of them, so a
              // stopped instance's rows are sent by another within about half a minute.
              config.getReminders().getDispatchThreads(), dispatchLease(twilio.getRequestTimeout()),
              config.getReminders().getDispatchHold(),
              relay::nudge);
          temporal.startWorkers(new ReminderActivitiesImpl(jdbi, metrics, dispatcher::wake),
              new InboundActivitiesImpl(jdbi, clock, agentForwardUrl(), metrics, temporal.client()),
              new SeriesActivitiesImpl(series), sends, twilio.getSenderMps());
          dispatcher.start();
          dispatching.set(dispatcher);
          Reconciler reconciler = new Reconciler(jdbi, reminders, series);
          if (config.reconcileAtStart()) {
            reconciler.reminders();
          }
          reconciler.inbound(inboundProcessor::start);
        }
        if (roles.api()) {
          inboundProcessor.begin();
        }
        if (callbacks != null) {
          callbacks.resume();
        }
        if (warmUpSpool != null) {
          Thread warming = new Thread(() -> {
            // The warm-up's own processing of its webhooks: the same code as the inbound processor's, with metrics
            // nobody reads, never a workflow (no forwarding; the senders are no users), and a clock a day ahead, so
            // its Redis writes are deletes of keys that never existed. Its PostgreSQL writes are rolled back.
            Clock ahead = Clock.offset(clock, Duration.ofHours(25));
            try (SessionCache warmUpCache = new SessionCache(URI.create(config.getRedisUrl()),
                config.getRedisKeyPrefix() + "warm-up:", Duration.ofMillis(250), ahead)) {
              InboundProcessor warmUpProcessor = new InboundProcessor(warmUpSpool, new InboundRecorder(jdbi,
                  new SessionWindows(jdbi, warmUpCache, ahead), phones, false, new ChannelMetrics(
                      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))), null /* never a workflow */);
              warmUp.run(localBaseUrl.get(), publicBaseUrl.get(), keys.ownKey(), signatures, jdbi, warmUpSpool,
                  warmUpProcessor);
            }
          }, "warm-up-main");
          warming.setDaemon(true);
          warming.start();
        } else {
          warmUp.skip();
        }
        log.info("norns-whatsapp ready on port {} as {}; Twilio calls back to {}", port, roles, base);
      }
    });
  }

  private Jdbi database() {
    String url = config.getDatabase().getUrl();
    String user = config.getDatabase().getUser();
    String password = config.getDatabase().getPassword();
    if (config.getDatabase().embedded()) {
      EmbeddedPostgresServer postgres = EmbeddedPostgresServer.startManaged(config.getDatabase().getEmbeddedDataDir(),
          config.getDatabase().getEmbeddedPort());
      environment.lifecycle().manage(postgres);
      url = postgres.jdbcUrl();
      user = postgres.user();
      password = postgres.password();
    }
    PGSimpleDataSource migrations = new PGSimpleDataSource();
    migrations.setUrl(url);
    migrations.setUser(user);
    migrations.setPassword(password);
    log.info("database: {} migrations applied", Database.migrate(migrations).migrationsExecuted);
    DataSourceFactory dataSource = config.getDatabase().dataSource(url, user, password);
    return Database.configure(new JdbiFactory().build(environment, dataSource, "postgres"));
  }

  private URI agentForwardUrl() {
    String url = config.getAgentForwardUrl();
    if (url == null || url.isBlank()) {
      return null;
    }
    URI uri = URI.create(url.strip());
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalStateException("AGENT_FORWARD_URL must be an http(s) URL: " + url);
    }
    return uri;
  }

  private ApiKeys apiKeys() {
    String main = config.getApiKey();
    boolean none = (main == null || main.isBlank()) && (config.getApiKeys() == null || config.getApiKeys().isBlank());
    if (none) {
      byte[] bytes = new byte[24];
      new SecureRandom().nextBytes(bytes);
      main = HexFormat.of().formatHex(bytes);
      log.warn("NORNS_API_KEY is not set: this run's API key is {}", main);
    }
    ApiKeys keys = ApiKeys.parse(main, config.getApiKeys());
    log.info("api: {} API key(s): {}", keys.names().size(), String.join(", ", keys.names()));
    return keys;
  }

  /** The resource classes Jersey serves (for the OpenAPI document): registered classes and instances with a path. */
  private static java.util.Set<Class<?>> resourceTypes(Environment environment) {
    java.util.Set<Class<?>> types = new java.util.LinkedHashSet<>(environment.jersey().getResourceConfig().getClasses());
    environment.jersey().getResourceConfig().getInstances().forEach(instance -> types.add(instance.getClass()));
    types.removeIf(type -> !type.isAnnotationPresent(jakarta.ws.rs.Path.class));
    return types;
  }

  /** How long a dispatcher's taken send row is its own: two Twilio calls and a margin, at least 30 s. */
  static Duration dispatchLease(Duration requestTimeout) {
    Duration lease = requestTimeout.multipliedBy(2).plusSeconds(5);
    return lease.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : lease;
  }
}
