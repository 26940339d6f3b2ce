package io.playconnect.bench.load;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Loopback source addresses 127.0.0.2, 127.0.0.3, ... so that many thousands of clients do not
 * run out of ephemeral ports on one address. Linux routes all of 127.0.0.0/8 to the loopback
 * interface, so binding to any of them needs no setup.
 */
final class SourceAddresses {
    /** 127.0.0.2 .. 127.0.0.254 at most. */
    static final int MAX = 253;
    private final InetAddress[] addresses;

    SourceAddresses(int count) {
        if (count < 1 || count > MAX) {
            throw new IllegalArgumentException("sourceAddresses must be in 1.." + MAX + ": " + count);
        }
        addresses = new InetAddress[count];
        for (int i = 0; i < count; i++) {
            try {
                addresses[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (i + 2)});
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The address client {@code index} connects from. */
    InetAddress forClient(int index) {
        return addresses[Math.floorMod(index, addresses.length)];
    }

    int count() {
        return addresses.length;
    }
}
