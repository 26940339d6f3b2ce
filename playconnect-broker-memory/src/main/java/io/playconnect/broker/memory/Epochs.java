package io.playconnect.broker.memory;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Fresh log epochs: 16 hex digits from a secure source, so that an epoch from before a restart is
 * never minted again and a client holding it is told it cannot resume.
 */
final class Epochs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {
    }

    static String next() {
        return HexFormat.of().toHexDigits(RANDOM.nextLong());
    }
}
