package dev.cxoneroutes.testing;

import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Property checks over generated inputs, with nothing but a seeded {@link Random}: each try gets
 * its own seed drawn from one run seed, and a failure names the run seed, the try and the input,
 * so {@code -Dgenerated.seed=<seed>} replays the run exactly. No shrinking: generators keep their
 * inputs small enough to read.
 */
public final class Generated {

    private Generated() {}

    /** Checks {@code property} on {@code tries} inputs; the first failure is rethrown, naming its input. */
    public static <T> void forAll(int tries, Function<Random, T> generator, Consumer<T> property) {
        long runSeed = Long.getLong("generated.seed", new Random().nextLong());
        Random seeds = new Random(runSeed);
        for (int i = 0; i < tries; i++) {
            T input = generator.apply(new Random(seeds.nextLong()));
            try {
                property.accept(input);
            } catch (AssertionError | RuntimeException failure) {
                throw new AssertionError(
                        "Property failed on try " + (i + 1) + " of " + tries + " (replay with -Dgenerated.seed="
                                + runSeed + ") for input:\n" + input + "\n" + failure.getMessage(),
                        failure);
            }
        }
    }

    // Small generators the input generators are built from.

    public static String stringOf(Random random, String alphabet, int minLength, int maxLength) {
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Mostly short, sometimes at the limits: boundaries are where rules break. */
    public static int length(Random random, int min, int max) {
        return switch (random.nextInt(6)) {
            case 0 -> min;
            case 1 -> max;
            default -> min + random.nextInt(Math.min(max - min, 12) + 1);
        };
    }

    public static <T> T oneOf(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
