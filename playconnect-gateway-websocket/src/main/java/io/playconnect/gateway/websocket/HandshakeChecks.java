package io.playconnect.gateway.websocket;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;

import java.util.List;

/** The plain-HTTP checks of a handshake request, before anything is admitted. */
final class HandshakeChecks {
    private HandshakeChecks() {
    }

    /** {@code Upgrade: websocket} with {@code Connection: upgrade} (among other tokens). */
    static boolean isUpgrade(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /**
     * Any origin when the allow-list is empty. Otherwise the {@code Origin} must equal an entry
     * (ignoring case) or the list must hold {@code *}. A request without an Origin is not from a
     * browser (browsers always send one on a WebSocket handshake) and is let through: the check
     * protects browser users from other sites, not the server from non-browser clients.
     */
    static boolean originAllowed(HttpRequest request, List<String> allowedOrigins) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (allowedOrigins.isEmpty() || origin == null) {
            return true;
        }
        for (String allowed : allowedOrigins) {
            if ("*".equals(allowed) || allowed.equalsIgnoreCase(origin.trim())) {
                return true;
            }
        }
        return false;
    }

    /** True when the client offers no subprotocol, or offers {@link WebSocketConfig#SUBPROTOCOL}. */
    static boolean subprotocolAcceptable(HttpRequest request) {
        List<String> offers = request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offers.isEmpty()) {
            return true;
        }
        boolean any = false;
        for (String header : offers) {
            for (String offer : header.split(",")) {
                String p = offer.trim();
                if (p.equals(WebSocketConfig.SUBPROTOCOL)) {
                    return true;
                }
                any |= !p.isEmpty();
            }
        }
        return !any;
    }
}
