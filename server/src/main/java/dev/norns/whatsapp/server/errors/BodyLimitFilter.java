package dev.norns.whatsapp.server.errors;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Request bodies over {@link #MAX_BYTES} are refused with 413 before anything reads them into memory: by their
 * Content-Length when given, else as soon as the (chunked) stream passes the limit. Every request and webhook of this
 * API is far smaller.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 200)
public final class BodyLimitFilter implements ContainerRequestFilter {
  public static final int MAX_BYTES = 64 * 1024;

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > MAX_BYTES) {
      throw tooLarge();
    }
    request.setEntityStream(new Limited(request.getEntityStream()));
  }

  static WebApplicationException tooLarge() {
    // The rest of the body is not read: the connection closes after the answer, and says so.
    return new WebApplicationException(Response.status(413).type(MediaType.APPLICATION_JSON_TYPE)
        .header("Connection", "close")
        .entity(new ApiError("request body over " + MAX_BYTES / 1024 + " KiB", null)).build());
  }

  private static final class Limited extends FilterInputStream {
    private long read;

    Limited(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count(Math.max(n, 0));
      return n;
    }

    private void count(int n) {
      read += n;
      if (read > MAX_BYTES) {
        throw tooLarge();
      }
    }
  }
}
