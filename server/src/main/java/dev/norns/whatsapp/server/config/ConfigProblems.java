package dev.norns.whatsapp.server.config;

import dev.norns.whatsapp.server.security.ApiKeys;
import dev.norns.whatsapp.server.temporal.TemporalConnection;
import dev.norns.whatsapp.server.temporal.TemporalStartupException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything in a configuration that {@code server} would refuse, found without starting anything: the one list the
 * {@code check} command prints and the server fails on, so the two never disagree.
 */
public final class ConfigProblems {
  private ConfigProblems() {}

  public static List<String> of(NornsConfiguration config) {
    List<String> problems = new ArrayList<>();
    try {
      config.roles();
    } catch (RuntimeException e) {
      problems.add(e.getMessage());
    }
    add(problems, config.getTwilio().incompleteReason());
    add(problems, config.getReminders().invalidReason());
    String main = config.getApiKey();
    String more = config.getApiKeys();
    if (!blank(main) || !blank(more)) {
      try {
        ApiKeys.parse(main, more);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    TemporalFactory temporal = config.getTemporal();
    add(problems, temporal.profileProblem());
    try {
      temporal.uiPort();
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    try {
      TemporalConnection.options(temporal, temporal.embedded() ? "127.0.0.1:7233" : temporal.getAddress().strip());
    } catch (TemporalStartupException e) {
      problems.add(e.getMessage());
    }
    add(problems, dev.norns.whatsapp.activities.session.SessionCache.problem(config.getRedisUrl()));
    add(problems, httpUrl("AGENT_FORWARD_URL", config.getAgentForwardUrl()));
    add(problems, httpUrl("PUBLIC_BASE_URL", config.getPublicBaseUrl()));
    return problems;
  }

  private static String httpUrl(String variable, String value) {
    if (blank(value)) {
      return null;
    }
    try {
      URI uri = URI.create(value.strip());
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return null;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    return variable + " must be an absolute http(s) URL: " + value;
  }

  private static void add(List<String> problems, String problem) {
    if (problem != null) {
      problems.add(problem);
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
