package dev.norns.whatsapp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.constraints.NotBlank;

/** PostgreSQL: a blank URL runs an embedded server whose data directory survives restarts. */
public class DatabaseFactory {
  @JsonProperty
  private String url = "";

  @JsonProperty
  private String user = "postgres";

  @JsonProperty
  private String password = "";

  @NotBlank
  @JsonProperty
  private String embeddedDataDir = "./var/postgres";

  /**
   * Connections per instance: the API's requests, the dispatcher's sends (one each in flight), the relay and the
   * workers' local activities share them. Keep instances x this under the server's max_connections.
   */
  @jakarta.validation.constraints.Min(4)
  @jakarta.validation.constraints.Max(500)
  @JsonProperty
  private int poolSize = 40;

  @JsonProperty
  private int embeddedPort = 0;

  public boolean embedded() {
    return url == null || url.isBlank();
  }

  /** A pooled data source for {@code jdbcUrl} (the configured one, or the embedded server's). */
  public DataSourceFactory dataSource(String jdbcUrl, String jdbcUser, String jdbcPassword) {
    DataSourceFactory factory = new DataSourceFactory();
    factory.setDriverClass("org.postgresql.Driver");
    factory.setUrl(jdbcUrl);
    factory.setUser(jdbcUser);
    factory.setPassword(jdbcPassword == null ? "" : jdbcPassword);
    factory.setMinSize(2);
    factory.setMaxSize(poolSize);
    factory.setValidationQuery("/* norns-whatsapp health */ SELECT 1");
    // Server error details quote the row's values (a phone number in a unique-key violation): keep them out of
    // exception messages, which end up in logs.
    // A frozen or unreachable server fails a query within seconds (then 503) instead of holding the caller forever.
    factory.setProperties(java.util.Map.of("logServerErrorDetail", "false", "socketTimeout", "5",
        "connectTimeout", "3"));
    // Fail fast when PostgreSQL is down: the API answers 503 within a second instead of hanging on the pool.
    factory.setMaxWaitForConnection(io.dropwizard.util.Duration.seconds(1));
    return factory;
  }

  public String getUrl() {
    return url;
  }

  public String getUser() {
    return user;
  }

  public String getPassword() {
    return password;
  }

  public String getEmbeddedDataDir() {
    return embeddedDataDir;
  }

  public int getEmbeddedPort() {
    return embeddedPort;
  }
}
