package dev.norns.whatsapp.activities.twilio;

import com.twilio.auth_strategy.AuthStrategy;
import com.twilio.constant.EnumConstants;
import com.twilio.http.HttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * A twilio-java {@link HttpClient} that sends every request exactly once, over {@code java.net.http}.
 *
 * <p>Why: twilio-java's {@code reliableRequest} re-sends a request up to 3 times, 100 ms apart, when the answer is
 * a 5xx or missing. For {@code POST …/Messages.json} that can put the same WhatsApp message on the wire several
 * times, since Twilio has no idempotency key. Retrying is the caller's decision (Temporal, with backoff), made with
 * {@link TwilioErrors}. The API host is also fixed in twilio-java, so this client rewrites
 * {@code https://api.twilio.com} to {@link TwilioSettings#apiBaseUrl()} (keeping path and query) for local servers.
 *
 * <p>Thread-safe: the underlying {@link java.net.http.HttpClient} is shared by all requests.
 */
public class SingleShotHttpClient extends HttpClient {

  static final String TWILIO_API_HOST = "api.twilio.com";
  static final String TWILIO_CONTENT_HOST = "content.twilio.com";
  /** Headers {@code java.net.http} sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "content-type", "authorization");

  /** The gate of the request this thread is making, if any: see {@link #through}. */
  private static final ThreadLocal<WireGate> GATE = new ThreadLocal<>();

  private final TwilioSettings settings;
  private final java.net.http.HttpClient http;

  public SingleShotHttpClient(TwilioSettings settings) {
    this.settings = settings;
    this.http = java.net.http.HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .build();
  }

  /**
   * Runs {@code call} (one request through twilio-java on this thread) with {@code gate} asked once, right before the
   * request is written, and its flight landed once the answer or failure is back; {@link WireGate.Closed} when it
   * says no. twilio-java's {@code TwilioRestClient} has no way to hand anything to its HTTP client with a request, so
   * the gate travels with the thread.
   */
  static <T> T through(WireGate gate, java.util.function.Supplier<T> call) {
    GATE.set(gate);
    try {
      return call.get();
    } finally {
      GATE.remove();
    }
  }

  /** Exactly one attempt; never the base class's retry loop. */
  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }

  /** Exactly one attempt, whatever retry codes, count or delay the caller asks for. */
  @Override
  public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
    return makeRequest(request);
  }

  @Override
  public Response makeRequest(Request request) {
    URI target = target(request.constructURL());
    HttpRequest.Builder builder = HttpRequest.newBuilder(target)
        .timeout(settings.requestTimeout())
        .header("Accept", "application/json")
        .header("User-Agent", "norns-whatsapp (twilio-java 13.0.1 request model)");
    copyHeaders(request.getHeaderParams(), builder);
    String authorization = authorization(request);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    builder.method(request.getMethod().toString(), body(request, builder));
    HttpRequest httpRequest = builder.build();
    WireGate.Flight flight = WireGate.Flight.UNCOUNTED;
    WireGate gate = GATE.get();
    if (gate != null) {
      GATE.remove();
      flight = gate.pass();
      if (flight == null) {
        throw new WireGate.Closed(describe(httpRequest));
      }
    }
    // Landed once the client is done with the request. Not when this thread stops waiting (interrupted): the client
    // cancels the exchange on its own threads and may still be writing the request, so the flight counts until its
    // horizon, as a send of an instance that died does.
    boolean done = true;
    try {
      HttpResponse<String> answer = http.send(httpRequest, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(answer.body(), answer.statusCode(), headers(answer.headers()));
    } catch (HttpConnectTimeoutException e) {
      throw new TwilioConnectionException(describe(httpRequest) + ": connect timed out after "
          + settings.connectTimeout() + "; the request was NOT sent to Twilio", e, true, false);
    } catch (HttpTimeoutException e) {
      throw new TwilioConnectionException(describe(httpRequest) + ": no answer within " + settings.requestTimeout()
          + " after the request was sent; Twilio MAY have accepted it", e, true, true);
    } catch (ConnectException e) {
      throw new TwilioConnectionException(describe(httpRequest) + ": could not connect (" + e.getMessage()
          + "); the request was NOT sent to Twilio", e, false, false);
    } catch (IOException e) {
      throw new TwilioConnectionException(describe(httpRequest) + ": I/O error (" + e
          + "); the request MAY have reached Twilio", e, false, true);
    } catch (InterruptedException e) {
      done = false;
      Thread.currentThread().interrupt();
      throw new TwilioConnectionException(describe(httpRequest)
          + ": interrupted while waiting for Twilio; the request MAY have reached Twilio", e, false, true);
    } finally {
      if (done) {
        flight.landed();
      }
    }
  }

  /**
   * Replaces scheme, host and port of {@code https://api.twilio.com/…} by the configured base; keeps path+query. The
   * Content API ({@code https://content.twilio.com/…}) follows: on a Twilio host ({@code api.<edge>.<region>.twilio.com})
   * it goes to {@code content.<edge>.<region>.twilio.com}; on any other base (a proxy, the sandbox) to
   * {@code <base>/content/…}.
   */
  URI target(URL url) {
    try {
      URI original = url.toURI();
      URI base = settings.apiBaseUrl();
      if (TWILIO_CONTENT_HOST.equalsIgnoreCase(original.getHost())) {
        if (base.equals(TwilioSettings.TWILIO_API)) {
          return original;
        }
        String host = base.getHost() == null ? "" : base.getHost().toLowerCase(java.util.Locale.ROOT);
        String query = original.getRawQuery() == null ? "" : "?" + original.getRawQuery();
        if (host.startsWith("api.") && host.endsWith(".twilio.com")) {
          return new URI("https://content." + host.substring("api.".length()) + original.getRawPath() + query);
        }
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        return new URI(base.getScheme() + "://" + base.getRawAuthority() + basePath + "/content"
            + original.getRawPath() + query);
      }
      if (!TWILIO_API_HOST.equalsIgnoreCase(original.getHost())) {
        return original;
      }
      String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
      String query = original.getRawQuery() == null ? "" : "?" + original.getRawQuery();
      String authority = base.getRawAuthority();
      return new URI(base.getScheme() + "://" + authority + basePath + original.getRawPath() + query);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("twilio-java built an invalid URL: " + url, e);
    }
  }

  private static HttpRequest.BodyPublisher body(Request request, HttpRequest.Builder builder) {
    if (request.getContentType() == EnumConstants.ContentType.JSON && request.getBody() != null) {
      builder.header("Content-Type", EnumConstants.ContentType.JSON.getValue());
      return HttpRequest.BodyPublishers.ofString(request.getBody(), StandardCharsets.UTF_8);
    }
    String method = request.getMethod().toString().toUpperCase(Locale.ROOT);
    boolean hasForm = !request.getPostParams().isEmpty();
    if (hasForm || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
      builder.header("Content-Type", EnumConstants.ContentType.FORM_URLENCODED.getValue() + "; charset=utf-8");
      return HttpRequest.BodyPublishers.ofString(request.encodeFormBody(), StandardCharsets.UTF_8);
    }
    return HttpRequest.BodyPublishers.noBody();
  }

  /** Basic auth lives in username/password, not in {@code getAuthStrategy()}; token auth is the other way round. */
  private static String authorization(Request request) {
    if (request.getUsername() != null && request.getPassword() != null) {
      String pair = request.getUsername() + ":" + request.getPassword();
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    AuthStrategy strategy = request.getAuthStrategy();
    if (strategy != null && strategy.requiresAuthentication()) {
      return strategy.getAuthString();
    }
    return null;
  }

  private static void copyHeaders(Map<String, List<String>> headers, HttpRequest.Builder builder) {
    headers.forEach((name, values) -> {
      if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT)) || values == null || values.isEmpty()) {
        return;
      }
      builder.setHeader(name, values.get(0));
      values.stream().skip(1).forEach(value -> builder.header(name, value));
    });
  }

  private static Header[] headers(HttpHeaders headers) {
    return headers.map().entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(v -> new BasicHeader(e.getKey(), v)))
        .toArray(Header[]::new);
  }

  private static String describe(HttpRequest request) {
    return request.method() + " " + request.uri().getPath();
  }
}
