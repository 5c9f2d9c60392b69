package dev.norns.whatsapp.server.api.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import dev.norns.whatsapp.server.api.Patterns;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** An email address (something@domain.tld, at most 320 characters), or blank for none; null passes. */
@Documented
@Pattern(regexp = Patterns.EMAIL_OR_BLANK)
@Size(max = 320)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({FIELD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface EmailAddress {
  String message() default "'${validatedValue}' is not an email address";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
