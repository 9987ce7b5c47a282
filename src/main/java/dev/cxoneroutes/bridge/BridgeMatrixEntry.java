package dev.cxoneroutes.bridge;

import jakarta.validation.constraints.NotNull;

/**
 * One audio path of the bridge: leg {@code source} is heard by leg {@code target}. Leg 0 is the
 * call itself, leg {@code n} its {@code n}-th target (1-based). Whether the legs exist depends on
 * the command's targets, so {@link ValidBridgeMatrix} checks the ranges.
 */
public record BridgeMatrixEntry(
        @NotNull(message = "is required") Integer source, @NotNull(message = "is required") Integer target) {}
