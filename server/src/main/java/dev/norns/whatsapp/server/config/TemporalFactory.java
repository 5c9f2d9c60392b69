package dev.norns.whatsapp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * Where Temporal is and how this instance works with it. A blank address runs the in-memory test server in process,
 * on loopback; otherwise TLS (CA, client certificate and key, server name) and a Temporal Cloud API key can be set.
 * The worker limits default to a 2-core machine.
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

  /** TLS with the system's trust store; implied by any of the files below. */
  @JsonProperty
  private boolean tls;

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

  /** Whether TLS is on: asked for, or implied by a CA, certificate or key file. */
  public boolean tlsEnabled() {
    return tls || !blank(tlsCa) || !blank(tlsCert) || !blank(tlsKey);
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
