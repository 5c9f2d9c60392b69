package dev.norns.whatsapp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/** config.yml: its defaults are the embedded default; environment variables switch each part to a real one. */
public class NornsConfiguration extends Configuration {
  @Valid
  @NotNull
  @JsonProperty
  private TemporalFactory temporal = new TemporalFactory();

  @Valid
  @NotNull
  @JsonProperty
  private DatabaseFactory database = new DatabaseFactory();

  @NotBlank
  @JsonProperty
  private String redisUrl = "redis://127.0.0.1:6379";

  /** Namespace of this deployment's Redis keys. */
  @NotNull
  @JsonProperty
  private String redisKeyPrefix = "norns:";

  @Valid
  @NotNull
  @JsonProperty
  private TwilioFactory twilio = new TwilioFactory();

  @Valid
  @NotNull
  @JsonProperty
  private RemindersFactory reminders = new RemindersFactory();

  @Valid
  @NotNull
  @JsonProperty
  private List<TemplateConfig> templates = new ArrayList<>();

  /** The base of the URLs Twilio calls back; blank means http://localhost:&lt;application port&gt;. */
  @JsonProperty
  private String publicBaseUrl = "";

  /** Blank: a random key is generated at start and logged once. */
  @JsonProperty
  private String apiKey = "";

  /** More keys, {@code name:role:key} separated by commas (role read or write). */
  @JsonProperty
  private String apiKeys = "";

  /** Start, from PostgreSQL, every non-final reminder that has no workflow (Temporal's state was lost). */
  @JsonProperty
  private boolean reconcileAtStart;

  /** Call itself until its hot code is compiled before the health check turns green. */
  @JsonProperty
  private boolean warmUp = true;

  /** Serve the admin port's /threads dump (off: it shows request details of every thread). */
  @JsonProperty
  private boolean adminThreads;

  /** Where inbound messages are spooled (fsync'd) before the webhook answers. */
  @NotBlank
  @JsonProperty
  private String inboundSpoolDir = "./var/inbound-spool";

  /** Ordinary inbound messages are POSTed here as JSON (retried until accepted); blank: stored only. */
  @JsonProperty
  private String agentForwardUrl = "";

  /** What this instance does: api, worker, or both (see {@link Roles}). */
  @NotBlank
  @JsonProperty
  private String roles = "api,worker";

  /** Region for phone numbers written without a country code. */
  @NotBlank
  @JsonProperty
  private String defaultPhoneRegion = "US";

  public TemporalFactory getTemporal() {
    return temporal;
  }

  public DatabaseFactory getDatabase() {
    return database;
  }

  public String getRedisUrl() {
    return redisUrl;
  }

  public String getRedisKeyPrefix() {
    return redisKeyPrefix;
  }

  public TwilioFactory getTwilio() {
    return twilio;
  }

  public RemindersFactory getReminders() {
    return reminders;
  }

  public List<TemplateConfig> getTemplates() {
    return templates;
  }

  public String getPublicBaseUrl() {
    return publicBaseUrl;
  }

  public String getApiKey() {
    return apiKey;
  }

  public String getApiKeys() {
    return apiKeys;
  }

  public boolean reconcileAtStart() {
    return reconcileAtStart;
  }

  public boolean warmUp() {
    return warmUp;
  }

  public boolean adminThreads() {
    return adminThreads;
  }

  public String getInboundSpoolDir() {
    return inboundSpoolDir;
  }

  public String getAgentForwardUrl() {
    return agentForwardUrl;
  }

  public Roles roles() {
    return Roles.parse(roles);
  }

  public String getDefaultPhoneRegion() {
    return defaultPhoneRegion;
  }
}
