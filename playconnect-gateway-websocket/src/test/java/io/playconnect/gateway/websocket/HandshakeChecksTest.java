package io.playconnect.gateway.websocket;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeChecksTest {

    private static HttpRequest request(String... headers) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1]);
        }
        return r;
    }

    @Test
    void anUpgradeNeedsBothHeaders() {
        assertThat(HandshakeChecks.isUpgrade(request("Upgrade", "WebSocket", "Connection", "keep-alive, Upgrade"))).isTrue();
        assertThat(HandshakeChecks.isUpgrade(request("Upgrade", "websocket"))).isFalse();
        assertThat(HandshakeChecks.isUpgrade(request("Connection", "upgrade", "Upgrade", "h2c"))).isFalse();
    }

    @Test
    void originsAreCheckedOnlyAgainstANonEmptyList() {
        assertThat(HandshakeChecks.originAllowed(request("Origin", "https://x.example"), List.of())).isTrue();
        List<String> allowed = List.of("https://play.example", "http://localhost:3000");
        assertThat(HandshakeChecks.originAllowed(request("Origin", "https://PLAY.example"), allowed)).isTrue();
        assertThat(HandshakeChecks.originAllowed(request("Origin", "http://localhost:3000"), allowed)).isTrue();
        assertThat(HandshakeChecks.originAllowed(request("Origin", "https://play.example.evil"), allowed)).isFalse();
        assertThat(HandshakeChecks.originAllowed(request("Origin", "null"), allowed)).isFalse();
        assertThat(HandshakeChecks.originAllowed(request(), allowed)).isTrue();
        assertThat(HandshakeChecks.originAllowed(request("Origin", "https://any.example"), List.of("*"))).isTrue();
    }

    @Test
    void theSubprotocolMustBeOursWhenAnyIsOffered() {
        assertThat(HandshakeChecks.subprotocolAcceptable(request())).isTrue();
        assertThat(HandshakeChecks.subprotocolAcceptable(request("Sec-WebSocket-Protocol", "playconnect.v1"))).isTrue();
        assertThat(HandshakeChecks.subprotocolAcceptable(request("Sec-WebSocket-Protocol", "a, playconnect.v1"))).isTrue();
        assertThat(HandshakeChecks.subprotocolAcceptable(request("Sec-WebSocket-Protocol", "a",
                "Sec-WebSocket-Protocol", "playconnect.v1"))).isTrue();
        assertThat(HandshakeChecks.subprotocolAcceptable(request("Sec-WebSocket-Protocol", "mqtt"))).isFalse();
        assertThat(HandshakeChecks.subprotocolAcceptable(request("Sec-WebSocket-Protocol", "playconnect.v2"))).isFalse();
    }
}
