package dev.norns.whatsapp.server.errors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.norns.whatsapp.server.api.validation.RequestValidation;
import io.dropwizard.jersey.validation.JerseyViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.HttpStatus;
import org.glassfish.jersey.server.ParamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the HTTP API can answer, in the one shape {@code {"error","field"?}}: no stack trace, parser or class
 * name ever reaches a caller. Dropwizard's default mappers are off (config.yml), so these are the only ones.
 */
public final class ErrorMappers {
  private static final Logger log = LoggerFactory.getLogger(ErrorMappers.class);

  private ErrorMappers() {}

  static Response json(int status, String message, String field) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(message, field)).build();
  }

  /** Every mapper, and the body-size limit, to register with Jersey. */
  public static Object[] all() {
    return new Object[] {new BodyLimitFilter(), new ApiExceptionMapper(), new JsonMapper(), new WebMapper(), new ParamMapper(), new ViolationMapper(),
        new UnavailableMapper(), new UnexpectedMapper()};
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
        return json(400, "malformed JSON", null);
      }
      String field = mapping.getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(Collectors.joining("."));
      String message;
      if (e instanceof UnrecognizedPropertyException) {
        message = "unknown field";
      } else if (e.getCause() instanceof UnstorableTextException unstorable) {
        message = unstorable.getMessage();
      } else {
        message = "wrong type or value";
      }
      return json(422, message, field.isEmpty() ? null : field);
    }
  }

  /**
   * Jersey's own answers (404 no such route, 405 method, 406 Accept, 415 Content-Type, 413…) and filters' refusals:
   * a response that already carries a body is kept, any other gets the reason phrase in the service's shape.
   */
  public static final class WebMapper implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      Response response = e.getResponse();
      if (response.hasEntity()) {
        return response;
      }
      int status = response.getStatus();
      Response.ResponseBuilder answer = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
          .entity(new ApiError(HttpStatus.getMessage(status).toLowerCase(Locale.ROOT), null));
      for (String header : new String[] {"Allow", "Retry-After", "WWW-Authenticate"}) {
        if (response.getHeaderString(header) != null) {
          answer.header(header, response.getHeaderString(header));
        }
      }
      return answer.build();
    }
  }

  /**
   * A query, header, form or cookie parameter Jersey could not convert (limit=ten): 422 naming it. JAX-RS answers 404
   * for these, which reads as "no such resource"; a path parameter that does not convert stays a 404.
   */
  public static final class ParamMapper implements ExceptionMapper<ParamException> {
    @Override
    public Response toResponse(ParamException e) {
      if (e instanceof ParamException.PathParamException) {
        return new WebMapper().toResponse(e);
      }
      String name = e.getParameterName();
      String message = e.getCause() instanceof NumberFormatException ? name + " must be a whole number"
          : name + " has a value of the wrong type";
      return json(422, message, name);
    }
  }

  /**
   * Bean-validation failures (the request records' constraints, the resource methods' parameters): 422 naming the
   * first field in the request's order, with every problem.
   */
  public static final class ViolationMapper implements ExceptionMapper<JerseyViolationException> {
    @Override
    public Response toResponse(JerseyViolationException e) {
      return new ApiExceptionMapper().toResponse(RequestValidation.refusal(e.getConstraintViolations()));
    }
  }

  /** A dependency (PostgreSQL, Temporal) is down: 503 with Retry-After, the caller may try again. */
  public static final class UnavailableMapper implements ExceptionMapper<DependencyUnavailableException> {
    @Override
    public Response toResponse(DependencyUnavailableException e) {
      log.warn("api: answered 503, {} unavailable: {}", e.dependency(), e.getMessage());
      return Response.status(503).type(MediaType.APPLICATION_JSON_TYPE).header("Retry-After", "5")
          .entity(new ApiError(e.dependency() + " is unavailable, try again shortly", null)).build();
    }
  }

  /**
   * Anything else is our fault: 500 with only an id, which finds the full log line. A dependency failure found in
   * the cause chain is a 503 instead.
   */
  public static final class UnexpectedMapper implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      DependencyUnavailableException unavailable = DependencyUnavailableException.find(e);
      if (unavailable != null) {
        return new UnavailableMapper().toResponse(unavailable);
      }
      String id = Long.toHexString(ThreadLocalRandom.current().nextLong());
      log.error("api: internal error {}", id, e);
      return json(500, "internal error (logged as " + id + ")", null);
    }
  }
}
