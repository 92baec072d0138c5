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

import dev.loki.events.Privilege;

/** A request field or parameter that must name a {@link Privilege} (null passes: add {@code @NotNull} where it is required). */
@Documented
@Constraint(validatedBy = ValidPrivilege.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidPrivilege {

    String message() default Privilege.MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<ValidPrivilege, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || Privilege.of(value).isPresent();
        }
    }
}
