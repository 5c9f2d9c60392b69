package dev.norns.whatsapp.server.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, so a test can send a request target exactly as an attacker would spell it (matrix
 * parameters, encodings, dot segments, backslashes): clients such as java.net.http normalise or refuse them.
 */
final class RawHttp {
  private RawHttp() {}

  record Answer(int status, String head, String body) {}

  static Answer send(int port, String method, String target, String headers, String body) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      String request = method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers
          + (content.length > 0 ? "Content-Length: " + content.length + "\r\n" : "") + "\r\n";
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      String text = all.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String rest = split < 0 ? "" : text.substring(split + 4);
      int status = Integer.parseInt(head.substring(9, 12));
      return new Answer(status, head, rest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
