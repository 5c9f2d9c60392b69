package dev.norns.whatsapp.server.security;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;

/**
 * Authentication bound to the resource model, denied by default: Jersey asks this feature about every resource
 * method it routes to, and each gets exactly one check. A method (or its class) marked {@link TwilioWebhook} needs a
 * valid X-Twilio-Signature; one marked {@link TwilioAccountAuth} checks Twilio-style basic auth itself; every other
 * method needs an API key, read-only keys being enough for GET and HEAD. A class marked {@link PublicResource} (the
 * docs page) gets none, by that explicit mark. Because the check hangs on the method Jersey
 * matched, no spelling of a path (matrix parameters, encodings, dot segments, doubled slashes) can reach a method
 * without it; no path string is ever compared.
 */
public final class AccessFeature implements DynamicFeature {
  private final ApiKeyAuthFilter readers;
  private final ApiKeyAuthFilter writers;
  private final TwilioSignatureFilter signatures;

  public AccessFeature(ApiKeys keys, TwilioSignatureFilter signatures) {
    this.readers = ApiKeyAuthFilter.requiring(ApiRole.READ, keys);
    this.writers = ApiKeyAuthFilter.requiring(ApiRole.WRITE, keys);
    this.signatures = signatures;
  }

  @Override
  public void configure(ResourceInfo resource, FeatureContext context) {
    Method method = resource.getResourceMethod();
    Class<?> type = resource.getResourceClass();
    if (method.isAnnotationPresent(TwilioWebhook.class) || type.isAnnotationPresent(TwilioWebhook.class)) {
      context.register(signatures);
    } else if (type.isAnnotationPresent(TwilioAccountAuth.class) || type.isAnnotationPresent(PublicResource.class)) {
      return;
    } else if (method.isAnnotationPresent(GET.class) || method.isAnnotationPresent(HEAD.class)) {
      context.register(readers);
    } else {
      context.register(writers);
    }
  }
}
