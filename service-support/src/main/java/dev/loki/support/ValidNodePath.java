package dev.loki.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import dev.loki.events.NodePath;

/** A request field or parameter that must be a {@link NodePath} (null passes: add {@code @NotNull} where it is required). */
@Documented
@Constraint(validatedBy = ValidNodePath.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidNodePath {

    String message() default NodePath.MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The check, linear in the input's length. */
    class Check implements ConstraintValidator<ValidNodePath, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || NodePath.isValid(value);
        }
    }
}
