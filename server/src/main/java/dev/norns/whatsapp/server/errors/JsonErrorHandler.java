package dev.norns.whatsapp.server.errors;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (an ambiguous or malformed URI, a URI too long, headers too large…) in the service's JSON
 * shape instead of Jetty's HTML page or an empty body. Only the status's reason phrase is said: never the parser's
 * message or a stack. Installed on the server and on both servlet contexts.
 */
public final class JsonErrorHandler extends ErrorHandler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 ? response.getStatus() : 500;
    String reason = HttpStatus.getMessage(status).toLowerCase(Locale.ROOT).replace("\"", "'");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(ERROR_CACHE_CONTROL);
    response.write(true, ByteBuffer.wrap(("{\"error\":\"" + reason + "\"}").getBytes(StandardCharsets.UTF_8)),
        callback);
    return true;
  }
}
