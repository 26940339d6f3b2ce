package io.playconnect.gateway.websocket;

import io.playconnect.edge.CloseReason;

import java.nio.charset.StandardCharsets;

/**
 * The WebSocket close codes this gateway sends (RFC 6455 section 7.4 and the 4000-4999 range for
 * application reasons), and the mapping from the edge's {@link CloseReason.Kind}.
 */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    /** Server draining or idle timeout: reconnect, possibly elsewhere. */
    public static final int GOING_AWAY = 1001;
    /** Binary frames: the contract is JSON text frames only. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** A text frame that is not valid UTF-8. */
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY = 1008;
    /** A frame or reassembled message above the size limit. */
    public static final int TOO_BIG = 1009;
    public static final int INTERNAL = 1011;
    /** Load shedding, including a refused admission: try again later. */
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int UNAUTHENTICATED = 4001;
    public static final int TOKEN_EXPIRED = 4002;
    public static final int SLOW_CONSUMER = 4003;
    public static final int KICKED = 4004;

    /** RFC 6455 leaves 123 bytes for the reason in a 125-byte control frame. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }

    /** The close code for an edge close reason. */
    public static int of(CloseReason.Kind kind) {
        return switch (kind) {
            case GOING_AWAY -> GOING_AWAY;
            case POLICY -> POLICY;
            case OVERLOADED -> TRY_AGAIN_LATER;
            case INTERNAL -> INTERNAL;
            case UNAUTHENTICATED -> UNAUTHENTICATED;
            case TOKEN_EXPIRED -> TOKEN_EXPIRED;
            case SLOW_CONSUMER -> SLOW_CONSUMER;
            case KICKED -> KICKED;
        };
    }

    /**
     * {@code reason} cut to at most {@link #MAX_REASON_BYTES} bytes of UTF-8, never inside a
     * character (a cut code point would make the close frame itself invalid UTF-8, a 1007).
     */
    public static String truncateReason(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.length() * 3 <= MAX_REASON_BYTES
                || reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        int bytes = 0;
        int i = 0;
        while (i < reason.length()) {
            int cp = reason.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > MAX_REASON_BYTES) {
                break;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return reason.substring(0, i);
    }
}
