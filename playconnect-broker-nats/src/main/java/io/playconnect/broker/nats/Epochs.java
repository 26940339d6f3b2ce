package io.playconnect.broker.nats;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Fresh log epochs: 16 hex digits from a secure source, never minted twice in practice. */
final class Epochs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {
    }

    static String next() {
        return HexFormat.of().toHexDigits(RANDOM.nextLong());
    }
}
