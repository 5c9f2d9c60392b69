package dev.norns.whatsapp.server.security;

import java.security.Principal;

/** Who called: the name of the API key used (never the key) and what it may do. */
public record ApiPrincipal(String name, ApiRole role) implements Principal {
  @Override
  public String getName() {
    return name;
  }
}
