package dev.norns.whatsapp.server.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one instance does, so the service can scale out: {@code api} serves the HTTP API and Twilio's webhooks (and
 * drains the inbound spool those webhooks fill, which is a local directory); {@code worker} runs the Temporal workers
 * and the start-up reconciliation. Every instance has the Temporal client: the API starts, signals and queries.
 */
public record Roles(boolean api, boolean worker) {

  /** Parses {@code "api,worker"}, {@code "api"} or {@code "worker"}; throws naming NORNS_ROLES otherwise. */
  public static Roles parse(String value) {
    Set<String> names = Arrays.stream(value == null ? new String[0] : value.split(","))
        .map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    Set<String> unknown = names.stream().filter(n -> !n.equals("api") && !n.equals("worker"))
        .collect(Collectors.toSet());
    if (names.isEmpty() || !unknown.isEmpty()) {
      throw new IllegalStateException("NORNS_ROLES must be api, worker or api,worker; got \"" + value + "\"");
    }
    return new Roles(names.contains("api"), names.contains("worker"));
  }

  @Override
  public String toString() {
    return api && worker ? "api,worker" : api ? "api" : "worker";
  }
}
