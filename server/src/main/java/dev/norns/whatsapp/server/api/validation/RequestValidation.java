package dev.norns.whatsapp.server.api.validation;

import dev.norns.whatsapp.server.errors.ApiException;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The request records' constraints (Hibernate Validator, as Dropwizard configures it) and how a violation becomes the
 * API's answer: a 422 whose {@code field} is the JSON path the caller wrote ({@code nudge.max}, {@code limit},
 * {@code Idempotency-Key}) and whose {@code error} lists every problem, in the order of the request's fields.
 */
public final class RequestValidation {
  private static final JsonPropertyNames NAMES = new JsonPropertyNames(Jackson.newObjectMapper());
  private static final Validator STANDALONE = factory().getValidator();
  /** How Dropwizard names a resource method's parameters in a violation's path (JerseyParameterNameProvider). */
  private static final List<String> PARAMETER_PREFIXES = List.of("query param ", "path param ", "header ",
      "form field ", "cookie ", "matrix param ");

  private RequestValidation() {}

  /** Dropwizard's validator configuration, naming properties as JSON does: for the bootstrap (Jersey, config). */
  public static ValidatorFactory factory() {
    return Validators.newConfiguration().propertyNodeNameProvider(NAMES).buildValidatorFactory();
  }

  /**
   * Checks a request built or received outside Jersey's validation (the CLI, an edit merged onto what is stored):
   * a 422 as the API gives it when a constraint is broken.
   */
  public static <T> T check(T request) {
    Set<ConstraintViolation<T>> violations = STANDALONE.validate(request);
    if (!violations.isEmpty()) {
      throw refusal(violations);
    }
    return request;
  }

  /** The API's answer to {@code violations}; "invalid request" without a field if there are none. */
  public static ApiException refusal(Set<? extends ConstraintViolation<?>> violations) {
    List<Named> named = new ArrayList<>();
    for (ConstraintViolation<?> violation : violations) {
      named.add(Named.of(violation));
    }
    named.sort(Comparator.comparingInt(Named::depth).thenComparingInt(Named::position)
        .thenComparing(Named::field, Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(Named::message));
    if (named.isEmpty()) {
      return ApiException.invalid(null, "invalid request");
    }
    Set<String> messages = new LinkedHashSet<>();
    named.forEach(problem -> messages.add(problem.message()));
    return ApiException.invalid(named.get(0).field(), String.join("; ", messages));
  }

  /** One violation as the caller sees it: the field's JSON path, its depth and place among its siblings. */
  private record Named(String field, int depth, int position, String message) {
    static Named of(ConstraintViolation<?> violation) {
      List<Path.Node> nodes = new ArrayList<>();
      violation.getPropertyPath().forEach(nodes::add);
      List<String> parts = new ArrayList<>();
      int position = 0;
      for (int i = 0; i < nodes.size(); i++) {
        Path.Node node = nodes.get(i);
        ElementKind kind = node.getKind();
        if (kind == ElementKind.PARAMETER && i == nodes.size() - 1) {
          String name = parameterName(node.getName());
          if (name != null) {
            parts.add(name);
          }
          position = node.as(Path.ParameterNode.class).getParameterIndex();
        } else if (kind == ElementKind.PROPERTY) {
          parts.add(node.getName());
          if (i == nodes.size() - 1 && violation.getLeafBean() != null) {
            // The leaf bean holds the last property: its place there orders siblings.
            position = NAMES.position(violation.getLeafBean().getClass(), node.getName());
          }
        } else if (kind == ElementKind.CONTAINER_ELEMENT && node.getKey() != null) {
          parts.add(String.valueOf(node.getKey()));
        }
      }
      String field = parts.isEmpty() ? null : String.join(".", parts);
      return new Named(field, parts.size(), position, violation.getMessage());
    }

    /** A query, path, header… parameter's own name; null for the request body (it has no name of its own). */
    private static String parameterName(String name) {
      for (String prefix : PARAMETER_PREFIXES) {
        if (name.startsWith(prefix)) {
          return name.substring(prefix.length());
        }
      }
      return null;
    }
  }
}
