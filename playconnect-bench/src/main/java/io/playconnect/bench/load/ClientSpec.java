package io.playconnect.bench.load;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one load client is: its index (for the result arrays), the user it authenticates as, the
 * loopback source address it connects from, its rooms and, when it reconnects, where each room
 * resumes from.
 */
public record ClientSpec(int index, String user, InetAddress localAddress, List<String> rooms,
                         Map<String, Position> resumeFrom) {

    public ClientSpec {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0: " + index);
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(localAddress, "localAddress");
        rooms = List.copyOf(Objects.requireNonNull(rooms, "rooms"));
        resumeFrom = Map.copyOf(Objects.requireNonNull(resumeFrom, "resumeFrom"));
    }

    public ClientSpec(int index, String user, InetAddress localAddress, List<String> rooms) {
        this(index, user, localAddress, rooms, Map.of());
    }

    /** Where a room's stream stands: the epoch and the last seq seen. */
    public record Position(String epoch, long seq) {
        public Position {
            Objects.requireNonNull(epoch, "epoch");
            if (seq < 0) {
                throw new IllegalArgumentException("seq must be >= 0: " + seq);
            }
        }
    }
}
