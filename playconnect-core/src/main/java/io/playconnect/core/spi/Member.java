package io.playconnect.core.spi;

import java.util.Objects;

/**
 * One connection of a user in a room.
 *
 * @param protocol the protocol the member is connected over ({@code websocket}, {@code mqtt}, {@code grpc})
 * @param gatewayId the gateway process that holds the connection
 */
public record Member(String user, String connectionId, String protocol, String gatewayId, long joinedAt) {
    public Member {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(gatewayId, "gatewayId");
    }
}
