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
import java.time.DateTimeException;
import java.time.ZoneId;

/** Text that is a time zone Java knows (an IANA name such as Europe/Oslo, or an offset); null and blank pass. */
@Documented
@Constraint(validatedBy = TimeZoneId.Check.class)
@Target({FIELD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface TimeZoneId {
  String message() default "'${validatedValue}' is not an IANA time zone (e.g. Europe/Oslo)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  final class Check implements ConstraintValidator<TimeZoneId, String> {
    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
      if (value == null || value.isBlank()) {
        return true;
      }
      try {
        ZoneId.of(value.strip());
        return true;
      } catch (DateTimeException e) {
        return false;
      }
    }
  }
}
