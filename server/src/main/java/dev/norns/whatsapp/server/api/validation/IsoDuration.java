package dev.norns.whatsapp.server.api.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Text that is an ISO-8601 duration (PT30M, P1D) from {@link #min} to {@link #max}; null passes (pair it with
 * {@code @NotBlank} when required).
 */
@Documented
@Constraint(validatedBy = IsoDuration.Check.class)
@Target({FIELD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface IsoDuration {
  String message() default "'${validatedValue}' is not an ISO-8601 duration from {min} to {max} (e.g. PT30M)";

  /** The shortest allowed, as an ISO-8601 duration. */
  String min() default "PT0S";

  /** The longest allowed, as an ISO-8601 duration. */
  String max() default "P3650D";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  final class Check implements ConstraintValidator<IsoDuration, String> {
    private Duration min;
    private Duration max;

    @Override
    public void initialize(IsoDuration bounds) {
      min = Duration.parse(bounds.min());
      max = Duration.parse(bounds.max());
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      try {
        Duration duration = Duration.parse(value.strip());
        return duration.compareTo(min) >= 0 && duration.compareTo(max) <= 0;
      } catch (DateTimeParseException e) {
        return false;
      }
    }
  }
}
