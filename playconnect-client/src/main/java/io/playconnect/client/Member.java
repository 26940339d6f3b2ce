package io.playconnect.client;

/**
 * One connection of a user in a room.
 *
 * @param protocol what the member is connected over: {@code websocket}, {@code mqtt}, {@code grpc}, {@code http}
 * @param joinedAt milliseconds since the Unix epoch
 */
public record Member(String user, String connectionId, String protocol, long joinedAt) {
}
