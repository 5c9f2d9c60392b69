package dev.norns.whatsapp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/** Where Temporal is: a blank address runs the in-memory test server in process, on loopback. */
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
}
