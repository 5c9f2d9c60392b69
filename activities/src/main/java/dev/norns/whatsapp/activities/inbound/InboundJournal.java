package dev.norns.whatsapp.activities.inbound;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A local spool of inbound messages: one fsync'd file per MessageSid, written before the webhook answers. It makes a
 * message durable without waiting for PostgreSQL or Temporal, so the webhook answers in milliseconds whatever they
 * are doing, and nothing is lost if the process dies right after answering. The same SID twice is the same file.
 */
public final class InboundJournal {
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  private static final String SUFFIX = ".json";

  private final Path dir;

  public InboundJournal(Path dir) {
    this.dir = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.dir);
    } catch (IOException e) {
      throw new UncheckedIOException("inbound spool directory " + this.dir + " cannot be created", e);
    }
  }

  /** Writes the message durably (temp file, fsync, atomic rename, fsync of the directory). */
  public void write(InboundMessage message) {
    Path target = dir.resolve(fileName(message.sid()));
    Path temp = dir.resolve("." + UUID.randomUUID() + ".tmp");
    try {
      byte[] bytes = JSON.writeValueAsBytes(message);
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(ByteBuffer.wrap(bytes));
        out.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
        directory.force(true);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the temp file is skipped by pending() and overwritten by nothing: harmless
      }
      throw new UncheckedIOException("inbound message " + message.sid() + " could not be spooled", e);
    }
  }

  /** Spooled messages, oldest first. */
  public List<Path> pending() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .sorted(Comparator.comparing(p -> p.toFile().lastModified())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public InboundMessage read(Path file) {
    try {
      return JSON.readValue(file.toFile(), InboundMessage.class);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable spooled message " + file, e);
    }
  }

  public void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  private static final java.util.regex.Pattern SID = java.util.regex.Pattern.compile("[A-Za-z0-9]{2,64}");

  /** A Twilio SID: 2 to 64 letters and digits (compiled once: the webhook asks this of every message). */
  public static boolean isSid(String sid) {
    return sid != null && SID.matcher(sid).matches();
  }

  /** Twilio SIDs are letters and digits; anything else never reaches the file system. */
  static String fileName(String sid) {
    if (!isSid(sid)) {
      throw new IllegalArgumentException("not a Twilio MessageSid: " + sid);
    }
    return sid + SUFFIX;
  }
}
