package dev.cxoneroutes.support;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random (version 4) UUIDs, as {@link UUID#randomUUID()} makes them, but from a SecureRandom per
 * thread: randomUUID() draws from one SecureRandom behind one lock, and a drop file's line threads
 * queued on it for every webhook id (bench/: 8 s of blocked threads in a 20,000-line file). Ids
 * stay unguessable and unique across instances, which a fast non-secure generator would not promise.
 */
public final class RandomIds {

    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(RandomIds::newRandom);

    private RandomIds() {}

    public static UUID uuid() {
        byte[] bytes = new byte[16];
        RANDOM.get().nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xff);
            low = (low << 8) | (bytes[i + 8] & 0xff);
        }
        return new UUID(high, low);
    }

    private static SecureRandom newRandom() {
        try {
            // DRBG (NIST SP 800-90A): each instance is seeded on its own, so threads share no lock.
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
