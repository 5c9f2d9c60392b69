package dev.norns.whatsapp.server.errors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Refuses, while the request is read, every JSON string PostgreSQL cannot store: NUL (text and jsonb refuse it) and
 * unpaired UTF-16 surrogates (not encodable as UTF-8). The failure names the field and becomes a 422 before anything
 * is stored or sent, instead of a 500 from the database later.
 */
public final class StorableText {
  private StorableText() {}

  public static SimpleModule module() {
    SimpleModule module = new SimpleModule("storable-text");
    module.addDeserializer(String.class, new Values());
    module.addKeyDeserializer(String.class, new Keys());
    return module;
  }

  /** Null when {@code text} can be stored, else why not. */
  static String problem(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return "contains a NUL character (\\u0000), which cannot be stored";
      }
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return "contains an unpaired UTF-16 surrogate, which is not valid Unicode text";
      }
    }
    return null;
  }

  private static final class Values extends StringDeserializer {
    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      String value = super.deserialize(parser, context);
      String problem = value == null ? null : problem(value);
      if (problem != null) {
        throw JsonMappingException.from(parser, problem, new UnstorableTextException(problem));
      }
      return value;
    }
  }

  private static final class Keys extends KeyDeserializer {
    @Override
    public Object deserializeKey(String key, DeserializationContext context) throws IOException {
      String problem = problem(key);
      if (problem != null) {
        throw JsonMappingException.from(context.getParser(), "a key " + problem,
            new UnstorableTextException("a key " + problem));
      }
      return key;
    }
  }
}
