package dev.norns.whatsapp.server.security;

import dev.norns.whatsapp.server.errors.ApiError;
import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The X-API-Key check of one resource method, registered by {@link AccessFeature} on every method that is not a
 * Twilio endpoint: the key must be one of {@link ApiKeys} and its role must allow the method. Authentication runs
 * through dropwizard-auth, so the resource sees the caller as the request's {@code SecurityContext} principal.
 */
@Priority(Priorities.AUTHENTICATION)
public final class ApiKeyAuthFilter extends AuthFilter<String, ApiPrincipal> {
  public static final String HEADER = "X-API-Key";
  private final ApiRole needed;

  private ApiKeyAuthFilter(ApiRole needed) {
    this.needed = needed;
  }

  /** A filter for methods that need {@code role}, authenticating against {@code keys}. */
  public static ApiKeyAuthFilter requiring(ApiRole role, ApiKeys keys) {
    return new Builder(role).setAuthenticator(keys)
        .setAuthorizer((principal, r, context) -> principal.role().permits(ApiRole.valueOf(r)))
        .setRealm("norns-whatsapp").setPrefix("ApiKey").buildAuthFilter();
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String given = request.getHeaderString(HEADER);
    if (given == null || given.isEmpty() || !authenticate(request, given, "API_KEY")) {
      throw refuse(Response.Status.UNAUTHORIZED, given == null || given.isEmpty()
          ? "missing X-API-Key header" : "wrong X-API-Key");
    }
    if (!request.getSecurityContext().isUserInRole(needed.name())) {
      throw refuse(Response.Status.FORBIDDEN, "this API key is read-only");
    }
  }

  private static WebApplicationException refuse(Response.Status status, String why) {
    return new WebApplicationException(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError(why, HEADER)).build());
  }

  private static final class Builder extends AuthFilterBuilder<String, ApiPrincipal, ApiKeyAuthFilter> {
    private final ApiRole role;

    Builder(ApiRole role) {
      this.role = role;
    }

    @Override
    protected ApiKeyAuthFilter newInstance() {
      return new ApiKeyAuthFilter(role);
    }
  }
}
