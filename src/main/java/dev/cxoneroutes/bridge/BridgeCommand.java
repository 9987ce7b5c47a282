package dev.cxoneroutes.bridge;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A command to bridge an active call to further parties (CONTRACT §3–5), as it arrives over HTTP,
 * JMS or a drop file. Over HTTP the path carries {@code callId}; elsewhere the body must.
 *
 * @param bridgeMatrix optional; sent to CXone as an empty list when absent
 * @param dtmf optional, {@link #DEFAULT_DTMF} when absent
 * @param requestId optional; an idempotency key, the same as the {@code Idempotency-Key} header
 */
@ValidBridgeMatrix
public record BridgeCommand(
        @NotNull(message = "is required")
                @Pattern(regexp = CALL_ID_PATTERN, message = "must be 1 to 64 of A-Z a-z 0-9 - _")
                String callId,
        @NotNull(message = "is required")
                @Size(
                        min = 1,
                        max = MAX_TARGETS,
                        message = "must hold 1 to " + MAX_TARGETS + " targets (at most " + MAX_LEGS
                                + " legs with the call itself)")
                List<@NotNull(message = "must be a JSON object") @Valid BridgeTarget> targets,
        @NotNull(message = "is required")
                @Pattern(
                        regexp = "inbound|outbound|transfer|consult",
                        message = "must be one of inbound, outbound, transfer, consult")
                String direction,
        List<@NotNull(message = "must be a JSON object") @Valid BridgeMatrixEntry> bridgeMatrix,
        @Pattern(regexp = "RFC2833|INFO|PULSE", message = "must be one of RFC2833, INFO, PULSE") String dtmf,
        String requestId) {

    /** A call id: 1 to 64 of {@code A-Z a-z 0-9 - _} (CONTRACT §3). */
    public static final String CALL_ID_PATTERN = "[A-Za-z0-9_-]{1,64}";

    /** The call itself plus its targets. */
    public static final int MAX_LEGS = 8;

    public static final int MAX_TARGETS = MAX_LEGS - 1;
    public static final String DEFAULT_DTMF = "RFC2833";

    public String dtmfOrDefault() {
        return dtmf == null ? DEFAULT_DTMF : dtmf;
    }

    public List<BridgeMatrixEntry> bridgeMatrixOrEmpty() {
        return bridgeMatrix == null ? List.of() : bridgeMatrix;
    }
}
