package dev.cxoneroutes.handoff;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;

/**
 * What the IVR sends to move a caller to web messaging. The DTMF digits are caller input and may
 * hold account numbers: {@link #toString()} masks them, and they are never logged.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HandoffRequest(
        @NotNull(message = "is required")
                @Pattern(regexp = "[0-9*#A-D]{1,64}", message = "must be 1 to 64 of 0-9 * # A-D")
                String dtmfSequence,
        @NotNull(message = "is required and must be a JSON object") Map<String, Object> voiceHistory,
        @NotBlank(message = "is required and must not be blank")
                @Size(max = 64, message = "must be at most 64 characters")
                String callerId,
        @Pattern(regexp = "[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", message = "must be a BCP 47 language tag such as en-US")
                String languagePreference) {

    public static final String DEFAULT_LANGUAGE = "en-US";

    public String languageOrDefault() {
        return languagePreference == null || languagePreference.isBlank() ? DEFAULT_LANGUAGE : languagePreference;
    }

    /** At most the last two digits, so a log line or event can refer to the input without revealing it. */
    public static String maskDtmf(String dtmf) {
        if (dtmf == null || dtmf.isEmpty()) {
            return "";
        }
        int shown = Math.min(2, dtmf.length() / 2);
        return "*".repeat(dtmf.length() - shown) + dtmf.substring(dtmf.length() - shown);
    }

    @Override
    public String toString() {
        return "HandoffRequest[dtmfSequence=" + maskDtmf(dtmfSequence) + ", callerId=" + callerId
                + ", languagePreference=" + languagePreference + "]";
    }
}
