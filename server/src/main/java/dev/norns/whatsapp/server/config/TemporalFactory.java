package dev.norns.whatsapp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * Where Temporal is and how this instance works with it. A blank address runs the embedded default: the Temporal
 * CLI's dev server as a child process on loopback, with its SQLite file and Web UI. Otherwise TLS (CA, client
 * certificate and key, server name) and a Temporal Cloud API key can be set. The worker limits default to a 2-core
 * machine.
 */
public class TemporalFactory {
  @JsonProperty
  private String address = "";

  @NotBlank
  @JsonProperty
  private String namespace = "default";

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
    return address == null || address.isBlank();
  }

  public String getAddress() {
    return address;
  }

  public String getNamespace() {
    return namespace;
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
    if ("true".equalsIgnoreCase(tls.strip())) {
      return true;
    }
    if ("false".equalsIgnoreCase(tls.strip())) {
      return false;
    }
    return !blank(apiKey) || !blank(tlsCa) || !blank(tlsCert) || !blank(tlsKey);
  }

  /** TEMPORAL_TLS was set to false on purpose. */
  public boolean tlsRefused() {
    return "false".equalsIgnoreCase(tls.strip());
  }

  /** Why TEMPORAL_TLS cannot be read, or null. */
  public String tlsProblem() {
    String value = tls.strip();
    return value.isEmpty() || value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false") ? null
        : "TEMPORAL_TLS must be true or false (or unset), got " + tls;
  }

  public String getTlsCa() {
    return tlsCa;
  }

  public String getTlsCert() {
    return tlsCert;
  }

  public String getTlsKey() {
    return tlsKey;
  }

  public String getTlsServerName() {
    return tlsServerName;
  }

  public String getApiKey() {
    return apiKey;
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
