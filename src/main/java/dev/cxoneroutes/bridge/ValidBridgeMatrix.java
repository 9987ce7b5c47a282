package dev.cxoneroutes.bridge;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Every bridge matrix entry joins two different legs that exist: {@code 0 … targets.size()}.
 * A class-level rule because the legs depend on the targets; each violation still names the exact
 * field ({@code bridgeMatrix[1].target}).
 */
@Documented
@Constraint(validatedBy = BridgeMatrixValidator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface ValidBridgeMatrix {

    String message() default "must join two different legs of the call";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
