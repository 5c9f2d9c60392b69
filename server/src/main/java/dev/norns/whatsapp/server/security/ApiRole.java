package dev.norns.whatsapp.server.security;

/**
 * What an API key may do. {@code READ} is for operators and dashboards: safe methods (GET, HEAD) only.
 * {@code WRITE} may call everything.
 */
public enum ApiRole {
  READ,
  WRITE;

  /** Whether a key with this role may call a method that needs {@code needed}. */
  public boolean permits(ApiRole needed) {
    return this == WRITE || needed == READ;
  }
}
