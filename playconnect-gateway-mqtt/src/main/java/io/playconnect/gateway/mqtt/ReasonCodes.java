package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.TooLongFrameException;
import io.playconnect.core.ErrorCode;
import io.playconnect.edge.CloseReason;

/**
 * The MQTT reason codes this gateway sends, and how edge outcomes map onto them. MQTT 3.1.1 has
 * only CONNACK return codes and SUBACK's 0x80; everything else is MQTT 5.
 */
final class ReasonCodes {
    static final int SUCCESS = 0x00;
    static final int NO_SUBSCRIPTION_EXISTED = 0x11;
    static final int CONTINUE_AUTHENTICATION = 0x18;
    static final int REAUTHENTICATE = 0x19;
    static final int UNSPECIFIED = 0x80;
    static final int MALFORMED_PACKET = 0x81;
    static final int PROTOCOL_ERROR = 0x82;
    static final int IMPLEMENTATION_SPECIFIC = 0x83;
    static final int CLIENT_ID_NOT_VALID = 0x85;
    static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    static final int NOT_AUTHORIZED = 0x87;
    static final int SERVER_UNAVAILABLE = 0x88;
    static final int SERVER_BUSY = 0x89;
    static final int SERVER_SHUTTING_DOWN = 0x8B;
    static final int BAD_AUTHENTICATION_METHOD = 0x8C;
    static final int KEEP_ALIVE_TIMEOUT = 0x8D;
    static final int SESSION_TAKEN_OVER = 0x8E;
    static final int TOPIC_FILTER_INVALID = 0x8F;
    static final int TOPIC_NAME_INVALID = 0x90;
    static final int PACKET_ID_NOT_FOUND = 0x92;
    static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
    static final int TOPIC_ALIAS_INVALID = 0x94;
    static final int PACKET_TOO_LARGE = 0x95;
    static final int MESSAGE_RATE_TOO_HIGH = 0x96;
    static final int QUOTA_EXCEEDED = 0x97;
    static final int ADMINISTRATIVE_ACTION = 0x98;
    static final int PAYLOAD_FORMAT_INVALID = 0x99;
    static final int RETAIN_NOT_SUPPORTED = 0x9A;
    static final int QOS_NOT_SUPPORTED = 0x9B;
    static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;
    static final int SUBSCRIPTION_IDS_NOT_SUPPORTED = 0xA1;
    static final int WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED = 0xA2;

    /** MQTT 3.1.1 CONNACK return codes. */
    static final int V3_UNACCEPTABLE_PROTOCOL_VERSION = 0x01;
    static final int V3_IDENTIFIER_REJECTED = 0x02;
    static final int V3_SERVER_UNAVAILABLE = 0x03;
    static final int V3_BAD_USER_NAME_OR_PASSWORD = 0x04;
    static final int V3_NOT_AUTHORIZED = 0x05;
    /** MQTT 3.1.1 SUBACK failure. */
    static final int V3_SUBACK_FAILURE = 0x80;

    private ReasonCodes() {
    }

    /** The MQTT 5 DISCONNECT reason for a packet the codec could not decode. */
    static int violation(Throwable cause, String text) {
        if (cause instanceof TooLongFrameException) {
            return PACKET_TOO_LARGE;
        }
        if (text.contains("wildcards")) {
            return TOPIC_NAME_INVALID;
        }
        // Parsed fine but breaks a rule (packet id 0 at QoS > 0): a protocol error, not a malformed packet.
        return text.contains("messageId") ? PROTOCOL_ERROR : MALFORMED_PACKET;
    }

    /** The MQTT 5 PUBACK (or PUBREC) reason for a refused command. */
    static int puback(ErrorCode code) {
        return switch (code) {
            case FORBIDDEN, UNAUTHENTICATED, TOKEN_EXPIRED, NOT_JOINED -> NOT_AUTHORIZED;
            case RATE_LIMITED, OVERLOADED -> QUOTA_EXCEEDED;
            case BAD_PAYLOAD, PAYLOAD_TOO_LARGE -> PAYLOAD_FORMAT_INVALID;
            case BAD_ROOM, UNKNOWN_KIND, UNKNOWN_TYPE -> TOPIC_NAME_INVALID;
            case ILLEGAL_MOVE, NOT_YOUR_TURN, SPECTATOR, GAME_OVER, CLOCK_SKEW, IDEMPOTENCY_CONFLICT, BAD_REQUEST,
                    UNKNOWN_OP -> IMPLEMENTATION_SPECIFIC;
            case NO_OWNER, OUTCOME_UNKNOWN, UNAVAILABLE, INTERNAL -> UNSPECIFIED;
        };
    }

    /** The MQTT 5 DISCONNECT reason for an edge-side close. */
    static int disconnect(CloseReason.Kind kind) {
        return switch (kind) {
            case GOING_AWAY -> SERVER_SHUTTING_DOWN;
            case POLICY -> MESSAGE_RATE_TOO_HIGH;
            case OVERLOADED -> SERVER_BUSY;
            case INTERNAL -> UNSPECIFIED;
            case UNAUTHENTICATED, TOKEN_EXPIRED -> NOT_AUTHORIZED;
            case SLOW_CONSUMER -> QUOTA_EXCEEDED;
            case KICKED -> ADMINISTRATIVE_ACTION;
        };
    }

    /** The CONNACK code for a connection the edge did not admit. */
    static int admissionRefused(ErrorCode code, boolean v5) {
        if (!v5) {
            return V3_SERVER_UNAVAILABLE;
        }
        return code == ErrorCode.RATE_LIMITED ? QUOTA_EXCEEDED : SERVER_BUSY;
    }

    /** The CONNACK code for a token the edge refused. */
    static int authenticationFailed(ErrorCode code, boolean v5) {
        if (code == ErrorCode.UNAVAILABLE) {
            return v5 ? SERVER_UNAVAILABLE : V3_SERVER_UNAVAILABLE;
        }
        return v5 ? NOT_AUTHORIZED : V3_NOT_AUTHORIZED;
    }

    /** The CONNACK code for an edge close that arrives before the CONNACK went out. */
    static int closedWhileConnecting(CloseReason.Kind kind, boolean v5) {
        return switch (kind) {
            case UNAUTHENTICATED, TOKEN_EXPIRED -> v5 ? NOT_AUTHORIZED : V3_NOT_AUTHORIZED;
            case GOING_AWAY, OVERLOADED, INTERNAL -> v5 ? SERVER_UNAVAILABLE : V3_SERVER_UNAVAILABLE;
            default -> v5 ? UNSPECIFIED : V3_SERVER_UNAVAILABLE;
        };
    }
}
