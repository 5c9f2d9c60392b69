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

/** A user's display name: not blank, at most 200 characters; null passes (add {@code @NotNull} where required). */
@Documented
@Pattern(regexp = Patterns.NOT_BLANK)
@Size(max = 200)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({FIELD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface DisplayName {
  String message() default "display_name is required (at most 200 characters)";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
