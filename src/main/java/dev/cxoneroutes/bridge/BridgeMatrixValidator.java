package dev.cxoneroutes.bridge;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.util.List;

/**
 * Checks {@link ValidBridgeMatrix}. Without usable targets the legs are unknown: the ranges are
 * then left alone, since {@code targets} is reported on its own.
 */
public class BridgeMatrixValidator implements ConstraintValidator<ValidBridgeMatrix, BridgeCommand> {

    @Override
    public boolean isValid(BridgeCommand command, ConstraintValidatorContext context) {
        if (command == null || command.bridgeMatrix() == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        List<BridgeMatrixEntry> matrix = command.bridgeMatrix();
        Integer lastLeg = command.targets() == null || command.targets().isEmpty()
                ? null
                : command.targets().size();
        boolean valid = true;
        for (int i = 0; i < matrix.size(); i++) {
            BridgeMatrixEntry entry = matrix.get(i);
            if (entry == null) {
                continue; // reported by the element's own @NotNull
            }
            valid &= withinLegs(entry.source(), lastLeg, i, "source", context);
            valid &= withinLegs(entry.target(), lastLeg, i, "target", context);
            if (entry.source() != null && entry.source().equals(entry.target())) {
                report(context, i, "target", "must be a different leg from source");
                valid = false;
            }
        }
        return valid;
    }

    private static boolean withinLegs(
            Integer leg, Integer lastLeg, int index, String field, ConstraintValidatorContext context) {
        if (leg == null || lastLeg == null || (leg >= 0 && leg <= lastLeg)) {
            return true;
        }
        // The message names the range, never the value sent.
        report(
                context,
                index,
                field,
                "must be a leg of the call: 0 (the call itself) to " + lastLeg + " (its last target)");
        return false;
    }

    private static void report(ConstraintValidatorContext context, int index, String field, String message) {
        context.buildConstraintViolationWithTemplate(message)
                .addPropertyNode("bridgeMatrix")
                .addPropertyNode(field)
                .inIterable()
                .atIndex(index)
                .addConstraintViolation();
    }
}
