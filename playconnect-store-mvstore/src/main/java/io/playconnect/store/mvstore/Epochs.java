package io.playconnect.store.mvstore;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Fresh log epochs: 16 hex digits from a secure source. A durable log keeps its epoch across
 * restarts; a new one is minted only for a new room or a reset.
 */
final class Epochs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {
    }

    static String next() {
        return HexFormat.of().toHexDigits(RANDOM.nextLong());
    }
}
