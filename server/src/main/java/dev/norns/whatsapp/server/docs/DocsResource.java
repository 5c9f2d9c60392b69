package dev.norns.whatsapp.server.docs;

import dev.norns.whatsapp.server.security.PublicResource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * {@code /docs}: Swagger UI (the {@code org.webjars:swagger-ui} package, served from the jar, no CDN) showing
 * {@code /openapi.json}. Public by its {@link PublicResource} mark: it serves only the page and a fixed list of static
 * files, no data. The page asks for an API key and sends it with every call it makes, the document's included.
 */
@Path("/docs")
@PublicResource
public final class DocsResource {
  /** The files the page needs, and their types: nothing else of the jar is served. */
  private static final Map<String, String> FILES = Map.of(
      "swagger-ui.css", "text/css",
      "swagger-ui-bundle.js", "application/javascript",
      "swagger-ui-standalone-preset.js", "application/javascript",
      "favicon-32x32.png", "image/png",
      "favicon-16x16.png", "image/png");
  private static final String ROOT = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";

  private static final String PAGE = """
      <!doctype html>
      <html lang="en">
      <head>
        <meta charset="utf-8">
        <title>norns-whatsapp API</title>
        <link rel="stylesheet" href="/docs/swagger-ui.css">
        <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
        <style>
          body { margin: 0; font-family: sans-serif; }
          #key { padding: 12px 20px; background: #1b1b1b; color: #fff; }
          #key input { width: 28em; }
        </style>
      </head>
      <body>
        <form id="key">
          <label>X-API-Key <input id="api-key" type="password" autocomplete="off"></label>
          <button type="submit">Load the API</button>
          <span id="state"></span>
        </form>
        <div id="swagger-ui"></div>
        <script src="/docs/swagger-ui-bundle.js"></script>
        <script src="/docs/swagger-ui-standalone-preset.js"></script>
        <script>
          function load(key) {
            window.ui = SwaggerUIBundle({
              url: '/openapi.json',
              dom_id: '#swagger-ui',
              presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
              layout: 'BaseLayout',
              requestInterceptor: function (request) { request.headers['X-API-Key'] = key; return request; }
            });
          }
          document.getElementById('key').addEventListener('submit', function (event) {
            event.preventDefault();
            var key = document.getElementById('api-key').value;
            sessionStorage.setItem('norns-api-key', key);
            load(key);
          });
          var saved = sessionStorage.getItem('norns-api-key');
          if (saved) { document.getElementById('api-key').value = saved; load(saved); }
        </script>
      </body>
      </html>
      """;

  @GET
  @Produces(MediaType.TEXT_HTML)
  public Response page() {
    return Response.ok(PAGE.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8")
        .header("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:")
        .build();
  }

  @GET
  @Path("/{file}")
  public Response file(@PathParam("file") String file) {
    String type = FILES.get(file);
    if (type == null) {
      throw new NotFoundException("no docs file " + file);
    }
    InputStream in = DocsResource.class.getClassLoader().getResourceAsStream(ROOT + file);
    if (in == null) {
      throw new NotFoundException("no docs file " + file);
    }
    CacheControl cache = new CacheControl();
    cache.setMaxAge(86_400);
    return Response.ok(in, type).cacheControl(cache).build();
  }

  private static String webjarVersion() {
    try (InputStream in = DocsResource.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
