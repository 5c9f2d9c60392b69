package dev.norns.whatsapp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.envconfig.ClientConfigTLS;
import io.temporal.envconfig.LoadClientConfigProfileOptions;
import jakarta.validation.constraints.NotBlank;

/**
 * Where Temporal is and how this instance works with it. A blank address runs the embedded default: the Temporal
 * CLI's dev server as a child process on loopback, with its SQLite file and Web UI. Otherwise TLS (CA, client
 * certificate and key, server name) and a Temporal Cloud API key can be set. The worker limits default to a 2-core
 * machine.
 *
 * <p>Temporal's own client configuration works too: {@code TEMPORAL_CONFIG_FILE} (a TOML file of profiles) and
 * {@code TEMPORAL_PROFILE} (default {@code default}) are read by the SDK's {@code temporal-envconfig}, and fill in
 * whatever the environment variables leave unset (address, namespace, API key, TLS), as Temporal's clients do: the
 * environment wins over the file. Only when one of the two is set, so a developer's own Temporal profile never
 * redirects the embedded default.
 */
public class TemporalFactory {
  @JsonProperty
  private String address = "";

  /** Blank: the profile's, else {@code default}. */
  @JsonProperty
  private String namespace = "";

  /** Temporal's TOML client configuration file ({@code TEMPORAL_CONFIG_FILE}); blank: none. */
  @JsonProperty
  private String configFile = "";

  /** The profile in it ({@code TEMPORAL_PROFILE}); blank: {@code default}. */
  @JsonProperty
  private String profile = "";

  private boolean profileLoaded;
  private ClientConfigProfile loadedProfile;
  private String profileProblem;

  /** Port of the embedded server (127.0.0.1 only); 0 picks a free one. */
  @Min(0)
  @Max(65535)
  @JsonProperty
  private int embeddedPort = 7233;

  /** Web UI port of the embedded server (127.0.0.1 only); 0 or "off": no UI. */
  @JsonProperty
  private String uiPort = "8233";

  /** The Temporal CLI that runs the embedded server; blank: found on PATH or in .tools/temporal. */
  @JsonProperty
  private String cli = "";

  /** Where the embedded server keeps its SQLite file (and its PID file). */
  @NotBlank
  @JsonProperty
  private String dataDir = "./var/temporal";

  /** Register missing search attributes on a cluster through the operator API instead of refusing to start. */
  @JsonProperty
  private boolean registerSearchAttributes;

  /**
   * TLS: {@code true}, {@code false}, or blank (unset) for what Temporal's own clients do: on when an API key or any
   * of the files below is set, off otherwise.
   */
  @JsonProperty
  private String tls = "";

  /** PEM file of the CA that signed the server's certificate; blank: the system's trust store. */
  @JsonProperty
  private String tlsCa = "";

  /** PEM client certificate (chain) for mutual TLS; needs {@link #tlsKey}. */
  @JsonProperty
  private String tlsCert = "";

  /** PEM PKCS#8 private key of {@link #tlsCert}. */
  @JsonProperty
  private String tlsKey = "";

  /** Name the server's certificate is checked against when it differs from the address's host. */
  @JsonProperty
  private String tlsServerName = "";

  /** Temporal Cloud API key, sent as {@code Authorization: Bearer}; needs TLS. */
  @JsonProperty
  private String apiKey = "";

  @Min(1)
  @JsonProperty
  private int workflowTaskExecutors = 20;

  @Min(1)
  @JsonProperty
  private int activityTaskExecutors = 40;

  /** At least 2: the SDK polls the sticky and the normal workflow queue. */
  @Min(2)
  @JsonProperty
  private int workflowTaskPollers = 2;

  @Min(1)
  @JsonProperty
  private int activityTaskPollers = 2;

  /** Workflows kept in memory between tasks (sticky execution); larger saves replays, costs heap. */
  @Min(0)
  @JsonProperty
  private int workflowCacheSize = 600;

  public boolean embedded() {
    return blank(getAddress());
  }

  public String getAddress() {
    return orProfile(address, ClientConfigProfile::getAddress);
  }

  public String getNamespace() {
    String value = orProfile(namespace, ClientConfigProfile::getNamespace);
    return blank(value) ? "default" : value.strip();
  }

  /** Why Temporal's configuration file or profile cannot be used, or null. */
  public synchronized String profileProblem() {
    profile();
    return profileProblem;
  }

  /** The profile named by TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE, or null when neither is set or it is unusable. */
  private synchronized ClientConfigProfile profile() {
    if (!profileLoaded) {
      profileLoaded = true;
      if (!blank(configFile) || !blank(profile)) {
        String where = "Temporal profile " + (blank(profile) ? "default" : profile.strip()) + " in "
            + (blank(configFile) ? "the default file (~/.config/temporalio/temporal.toml)" : configFile.strip());
        try {
          LoadClientConfigProfileOptions.Builder options = LoadClientConfigProfileOptions.newBuilder()
              .setDisableEnv(true).setConfigFileStrict(true);
          if (!blank(configFile)) {
            if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(configFile.strip()))) {
              throw new java.io.FileNotFoundException("no readable file there");
            }
            options.setConfigFilePath(configFile.strip());
          }
          if (!blank(profile)) {
            options.setConfigFileProfile(profile.strip());
          }
          ClientConfigProfile loaded = ClientConfigProfile.load(options.build());
          ClientConfigTLS tls = loaded.getTls();
          if (tls != null && (tls.getClientCertData() != null || tls.getClientKeyData() != null
              || tls.getServerCACertData() != null)) {
            profileProblem = where + ": inline TLS data (*_data) is not supported; give *_path files";
          } else {
            loadedProfile = loaded;
          }
        } catch (java.io.IOException | RuntimeException e) {
          profileProblem = "TEMPORAL_CONFIG_FILE / TEMPORAL_PROFILE: " + where + " cannot be read: " + e.getMessage();
        }
      }
    }
    return loadedProfile;
  }

  /** {@code own} (from the environment) when set, else the profile's value, else {@code own}. */
  private String orProfile(String own, java.util.function.Function<ClientConfigProfile, String> field) {
    if (!blank(own)) {
      return own;
    }
    ClientConfigProfile loaded = profile();
    String value = loaded == null ? null : field.apply(loaded);
    return blank(value) ? own : value;
  }

  private String orProfileTls(String own, java.util.function.Function<ClientConfigTLS, String> field) {
    return orProfile(own, p -> p.getTls() == null ? null : field.apply(p.getTls()));
  }

  public int getEmbeddedPort() {
    return embeddedPort;
  }

  /** The embedded server's UI port, 0 when off; throws naming the variable when it is not a port. */
  public int uiPort() {
    String value = uiPort == null ? "" : uiPort.strip();
    if (value.isEmpty() || value.equalsIgnoreCase("off") || value.equals("0")) {
      return 0;
    }
    try {
      int port = Integer.parseInt(value);
      if (port > 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("TEMPORAL_UI_PORT must be a port (1-65535), 0 or off; got " + uiPort);
  }

  public String getCli() {
    return cli;
  }

  public String getDataDir() {
    return dataDir;
  }

  public boolean registerSearchAttributes() {
    return registerSearchAttributes;
  }

  /** Whether TLS is on: asked for, or implied by a CA, certificate or key file. */
  public boolean tlsEnabled() {
    String asked = tlsSetting();
    if ("true".equalsIgnoreCase(asked)) {
      return true;
    }
    if ("false".equalsIgnoreCase(asked)) {
      return false;
    }
    return !blank(getApiKey()) || !blank(getTlsCa()) || !blank(getTlsCert()) || !blank(getTlsKey());
  }

  /** TEMPORAL_TLS was set to false on purpose. */
  public boolean tlsRefused() {
    return "false".equalsIgnoreCase(tlsSetting());
  }

  /** TEMPORAL_TLS, else the profile's TLS section ({@code disabled = true}: false; present: true), else blank. */
  private String tlsSetting() {
    if (!blank(tls)) {
      return tls.strip();
    }
    ClientConfigProfile loaded = profile();
    if (loaded == null || loaded.getTls() == null) {
      return "";
    }
    return Boolean.TRUE.equals(loaded.getTls().isDisabled()) ? "false" : "true";
  }

  /** Why TEMPORAL_TLS cannot be read, or null. */
  public String tlsProblem() {
    String value = tls.strip();
    return value.isEmpty() || value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null
        : "TEMPORAL_TLS must be true or false (or unset), got " + tls;
  }

  public String getTlsCa() {
    return orProfileTls(tlsCa, ClientConfigTLS::getServerCACertPath);
  }

  public String getTlsCert() {
    return orProfileTls(tlsCert, ClientConfigTLS::getClientCertPath);
  }

  public String getTlsKey() {
    return orProfileTls(tlsKey, ClientConfigTLS::getClientKeyPath);
  }

  public String getTlsServerName() {
    return orProfileTls(tlsServerName, ClientConfigTLS::getServerName);
  }

  public String getApiKey() {
    return orProfile(apiKey, ClientConfigProfile::getApiKey);
  }

  public int getWorkflowTaskExecutors() {
    return workflowTaskExecutors;
  }

  public int getActivityTaskExecutors() {
    return activityTaskExecutors;
  }

  public int getWorkflowTaskPollers() {
    return workflowTaskPollers;
  }

  public int getActivityTaskPollers() {
    return activityTaskPollers;
  }

  public int getWorkflowCacheSize() {
    return workflowCacheSize;
  }

  static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
