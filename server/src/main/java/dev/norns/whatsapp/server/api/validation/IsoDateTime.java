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
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Text that is an ISO-8601 date-time with an offset (2026-11-24T17:00:00+01:00 or …Z); null and blank pass. */
@Documented
@Constraint(validatedBy = IsoDateTime.Check.class)
@Target({FIELD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface IsoDateTime {
  String message() default "'${validatedValue}' is not an ISO-8601 date-time with an offset, "
      + "e.g. 2026-11-24T17:00:00+01:00";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  final class Check implements ConstraintValidator<IsoDateTime, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null || value.isBlank()) {
        return true;
      }
      try {
        OffsetDateTime.parse(value.strip());
        return true;
      } catch (DateTimeParseException e) {
        return false;
      }
    }
  }
}
