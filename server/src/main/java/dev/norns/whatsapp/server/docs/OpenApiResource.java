package dev.norns.whatsapp.server.docs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.function.Supplier;

/** {@code GET /openapi.json}: the API described (any API key, read-only ones too). Built once, at the first call. */
@Path("/openapi.json")
public final class OpenApiResource {
  private final Supplier<Set<Class<?>>> types;
  private final String version;
  private volatile String document;

  public OpenApiResource(Supplier<Set<Class<?>>> types, String version) {
    this.types = types;
    this.version = version;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public String document() {
    String built = document;
    if (built == null) {
      synchronized (this) {
        if (document == null) {
          document = OpenApiDocument.json(types.get(), version);
        }
        built = document;
      }
    }
    return built;
  }
}
