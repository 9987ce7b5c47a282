package dev.cxoneroutes.bridge;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A party to bring into the call. Only phone numbers exist today; {@code type} is there so CXone's
 * other target kinds can be added without changing the command's shape. The number is personal
 * data: {@link #toString()} masks it and no message repeats it.
 */
public record BridgeTarget(
        @NotNull(message = "is required") @Pattern(regexp = "phone", message = "must be phone") String type,
        @NotNull(message = "is required")
                @Pattern(
                        regexp = "\\+?[1-9]\\d{1,14}",
                        message = "must be an E.164 phone number (up to 15 digits, optional leading +)")
                String value) {

    @Override
    public String toString() {
        return "BridgeTarget[type=" + type + ", value=" + maskNumber(value) + "]";
    }

    /** The last two digits at most, enough to tell targets apart in a log without revealing them. */
    static String maskNumber(String number) {
        if (number == null || number.isEmpty()) {
            return "";
        }
        int shown = Math.min(2, number.length() / 2);
        return "*".repeat(number.length() - shown) + number.substring(number.length() - shown);
    }
}
