package dev.norns.whatsapp.server.security;

import io.dropwizard.auth.Authenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The API keys this instance accepts, each with a name (so one can be rotated or revoked by removing it) and a role.
 * A presented key is compared with every configured key in constant time, so neither timing nor the order of the
 * list tells an attacker how much of a key was right.
 */
public final class ApiKeys implements Authenticator<String, ApiPrincipal> {
  /** One configured key. */
  public record Key(String name, ApiRole role, byte[] secret) {}

  private final List<Key> keys;

  public ApiKeys(List<Key> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one API key is needed");
    }
    this.keys = List.copyOf(keys);
  }

  /**
   * The keys from the environment's values: {@code main} (NORNS_API_KEY, role write, name "default") and
   * {@code more} (NORNS_API_KEYS: {@code name:role:key} entries separated by commas, role {@code read} or
   * {@code write}). Throws {@link IllegalArgumentException} saying which entry is malformed.
   */
  public static ApiKeys parse(String main, String more) {
    List<Key> keys = new ArrayList<>();
    if (main != null && !main.isBlank()) {
      keys.add(key("default", ApiRole.WRITE, main.strip()));
    }
    if (more != null && !more.isBlank()) {
      for (String entry : more.split(",")) {
        String[] parts = entry.strip().split(":", 3);
        if (parts.length != 3 || parts[0].isBlank() || parts[2].isBlank()) {
          throw new IllegalArgumentException("NORNS_API_KEYS entries are name:role:key (role read or write); got an "
              + "entry with " + parts.length + " part(s)");
        }
        ApiRole role;
        try {
          role = ApiRole.valueOf(parts[1].strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("NORNS_API_KEYS entry " + parts[0].strip() + ": role must be read or "
              + "write, not " + parts[1].strip());
        }
        keys.add(key(parts[0].strip(), role, parts[2].strip()));
      }
    }
    return new ApiKeys(keys);
  }

  private static Key key(String name, ApiRole role, String secret) {
    if (secret.length() < 16) {
      throw new IllegalArgumentException("API key " + name + " is shorter than 16 characters");
    }
    return new Key(name, role, secret.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Optional<ApiPrincipal> authenticate(String presented) {
    byte[] given = presented.getBytes(StandardCharsets.UTF_8);
    Key match = null;
    for (Key key : keys) {
      // No early exit: every key is compared whatever the outcome.
      if (MessageDigest.isEqual(key.secret(), given) && match == null) {
        match = key;
      }
    }
    return match == null ? Optional.empty() : Optional.of(new ApiPrincipal(match.name(), match.role()));
  }

  /** A key the instance may call itself with (its warm-up): the first write key, else the first key. */
  public String ownKey() {
    Key own = keys.stream().filter(k -> k.role() == ApiRole.WRITE).findFirst().orElse(keys.get(0));
    return new String(own.secret(), StandardCharsets.UTF_8);
  }

  public List<String> names() {
    return keys.stream().map(k -> k.name() + " (" + k.role().name().toLowerCase(Locale.ROOT) + ")").toList();
  }
}
