package dev.norns.whatsapp.server.api.validation;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.OverridesAttribute;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/** A list endpoint's {@code limit}: 1 to {@link #max} items a page. */
@Documented
@Min(1)
@Max(Long.MAX_VALUE)
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target({FIELD, PARAMETER})
@Retention(RUNTIME)
public @interface PageSize {
  @OverridesAttribute(constraint = Max.class, name = "value")
  long max();

  String message() default "limit must be between 1 and {max}";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};
}
