package io.ssegateway.config;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@link java.time.Duration} setting that must be longer than zero; null passes (a setting that
 * may be unset says so with {@code @Nullable}). Jakarta's {@code @Positive} takes numbers only;
 * {@link PositiveDurationValidator} checks this one, and a refusal names the setting at start-up
 * as every other constraint does.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.RECORD_COMPONENT})
@Constraint(validatedBy = {})
public @interface PositiveDuration {
    String message() default "must be longer than 0";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
