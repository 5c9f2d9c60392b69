package dev.norns.whatsapp.server.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.stream.Collectors;

/** JSON error bodies that name the field; never a stack trace. */
public final class ErrorMappers {
  private ErrorMappers() {}

  static Response json(int status, String message, String field) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(message, field)).build();
  }

  public static final class ApiExceptionMapper implements ExceptionMapper<ApiException> {
    @Override
    public Response toResponse(ApiException e) {
      return json(e.status(), e.getMessage(), e.field());
    }
  }

  /** Malformed JSON (400) or JSON of the wrong shape (422, naming the field path). */
  public static final class JsonMapper implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
      if (e instanceof JsonParseException || !(e instanceof JsonMappingException mapping)) {
        return json(400, "malformed JSON: " + e.getOriginalMessage(), null);
      }
      String field = mapping.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(Collectors.joining("."));
      String message = e instanceof UnrecognizedPropertyException
          ? "unknown field" : "wrong type or value: " + e.getOriginalMessage().lines().findFirst().orElse("");
      return json(422, message, field.isEmpty() ? null : field);
    }
  }
}
