package dev.norns.whatsapp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;

/** How long a sent reminder waits for Twilio's callbacks before it settles. */
public class RemindersFactory {
  /** No delivered/read/failed within this: UNCONFIRMED. */
  @JsonProperty
  private Duration confirmTimeout = Duration.hours(1);

  /** Once delivered, how long to keep waiting for a read receipt. */
  @JsonProperty
  private Duration readTimeout = Duration.hours(24);

  public java.time.Duration getConfirmTimeout() {
    return confirmTimeout.toJavaDuration();
  }

  public java.time.Duration getReadTimeout() {
    return readTimeout.toJavaDuration();
  }
}
