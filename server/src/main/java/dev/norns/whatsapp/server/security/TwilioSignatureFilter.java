package dev.norns.whatsapp.server.security;

import dev.norns.whatsapp.server.errors.ApiError;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.util.MultiMap;
import org.eclipse.jetty.util.UrlEncoded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one X-Twilio-Signature check, for every {@link TwilioWebhook} method ({@link AccessFeature} registers it). The URL is rebuilt from the public base
 * URL (Twilio signs the URL it called, which a proxy in front of us changes) plus path and query. A bad or missing
 * signature is a 403 before the resource runs, so nothing is recorded.
 */
@Priority(Priorities.AUTHENTICATION)
public final class TwilioSignatureFilter implements ContainerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(TwilioSignatureFilter.class);
  /** Twilio's parameters are small; a body over this is not Twilio's. */
  private static final int MAX_BODY = 256 * 1024;

  private final TwilioSignatures signatures;
  private final Supplier<String> publicBaseUrl;

  public TwilioSignatureFilter(TwilioSignatures signatures, Supplier<String> publicBaseUrl) {
    this.signatures = signatures;
    this.publicBaseUrl = publicBaseUrl;
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    byte[] body = request.getEntityStream().readNBytes(MAX_BODY + 1);
    request.setEntityStream(new ByteArrayInputStream(body));
    String path = request.getUriInfo().getRequestUri().getRawPath();
    String query = request.getUriInfo().getRequestUri().getRawQuery();
    String url = publicBaseUrl.get() + path + (query == null ? "" : "?" + query);
    if (body.length > MAX_BODY) {
      abort(request, url, "body too large");
      return;
    }
    Map<String, List<String>> params;
    try {
      params = MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getMediaType())
          ? parseForm(new String(body, StandardCharsets.UTF_8)) : Map.of();
    } catch (IllegalArgumentException malformed) {
      log.warn("whatsapp webhook rejected: a form body that is not valid URL encoding for {}", url);
      request.abortWith(Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ApiError("the form body is not valid application/x-www-form-urlencoded", null)).build());
      return;
    }
    if (!signatures.validForm(url, params, request.getHeaderString("X-Twilio-Signature"))) {
      abort(request, url, request.getHeaderString("X-Twilio-Signature") == null ? "missing" : "invalid");
    }
  }

  private static void abort(ContainerRequestContext request, String url, String why) {
    log.warn("whatsapp webhook rejected: {} X-Twilio-Signature for {}", why, url);
    request.abortWith(Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError("X-Twilio-Signature " + why, "X-Twilio-Signature")).build());
  }

  /**
   * Every parameter with every value, in order (Jetty's decoder): a repeated field keeps all its values, which
   * Twilio signs. Throws {@link IllegalArgumentException} on malformed encoding.
   */
  static Map<String, List<String>> parseForm(String body) {
    MultiMap<String> params = new MultiMap<>();
    if (!body.isEmpty()) {
      UrlEncoded.decodeUtf8To(body, params);
    }
    return params;
  }
}
