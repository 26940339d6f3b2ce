package io.playconnect.server.web;

import io.playconnect.http.HttpRequest;
import io.playconnect.http.HttpResponse;
import io.playconnect.http.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticFilesTest {
    private final StaticFiles files = StaticFiles.fromClasspath(getClass().getClassLoader(), "statictest");

    @Test
    void servesTheListedFilesAndAliasesOnly() {
        assertThat(files.paths()).containsExactlyInAnyOrder("/index.html", "/js/app.js", "/", "/home");
    }

    @Test
    void aPageComesWithItsTypeCacheHeadersAndAPolicyThatKeepsItOnThisServer() {
        HttpResponse page = get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).isEqualTo("text/html; charset=utf-8");
        assertThat(page.bodyAsString()).contains("static test page");
        assertThat(page.headers()).containsEntry("Cache-Control", "no-cache")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsKey("ETag");
        assertThat(page.headers().get("Content-Security-Policy")).contains("default-src 'self'", "connect-src 'self'");
        assertThat(get("/home").bodyAsString()).isEqualTo(page.bodyAsString());
    }

    @Test
    void scriptsAreJavaScriptWithoutAPagePolicy() {
        HttpResponse script = get("/js/app.js");
        assertThat(script.contentType()).isEqualTo("text/javascript; charset=utf-8");
        assertThat(script.bodyAsString()).isEqualTo("export const answer = 42;\n");
        assertThat(script.headers()).doesNotContainKey("Content-Security-Policy");
    }

    @Test
    void aMatchingEtagGetsNotModifiedWithoutABody() {
        String etag = get("/js/app.js").headers().get("ETag");
        HttpResponse again = files.handle(new HttpRequest("GET", "/js/app.js", Map.of(),
                Map.of("If-None-Match", List.of("\"other\", " + etag)), null)).join();
        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers()).containsEntry("ETag", etag);
        assertThat(files.handle(new HttpRequest("GET", "/js/app.js", Map.of(),
                Map.of("If-None-Match", List.of("\"stale\"")), null)).join().status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../statictest/hidden.txt", "/js/../index.html", "/./index.html", "//index.html",
            "/js//app.js", "/..\\hidden.txt", "/js/.."})
    void traversalAndUnnormalisedPathsAreRefused(String path) {
        HttpResponse refused = get(path);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.bodyAsString()).contains("\"code\":\"bad_request\"").doesNotContain("secret");
    }

    @Test
    void aFileNotInTheManifestIsNotFoundEvenIfItIsOnTheClasspath() {
        HttpResponse missing = get("/hidden.txt");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyAsString()).contains("not_found").doesNotContain("secret");
    }

    @Test
    void overARealSocketADotDotPathNeverReachesAFile() throws IOException {
        HttpServer http = HttpServer.newBuilder().host("127.0.0.1").port(0).build();
        InetSocketAddress bound = http.start().join();
        try {
            files.install(http);
            assertThat(rawGet(bound, "/index.html")).startsWith("HTTP/1.1 200").contains("static test page");
            for (String path : List.of("/../statictest/hidden.txt", "/js/../index.html", "/%2e%2e/statictest/hidden.txt")) {
                String answer = rawGet(bound, path);
                assertThat(answer).as(path).doesNotStartWith("HTTP/1.1 200").doesNotContain("secret").doesNotContain("static test page");
                assertThat(answer).as(path).matches("(?s)HTTP/1\\.1 (400|404) .*");
            }
        } finally {
            http.stop().join();
        }
    }

    @Test
    void aManifestNamingAMissingFileOrAnUnsafePathFailsAtStartWithTheEntry() {
        ClassLoader loader = getClass().getClassLoader();
        assertThatThrownBy(() -> StaticFiles.fromClasspath(loader, "statictest-missing"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not-there.js");
        assertThatThrownBy(() -> StaticFiles.fromClasspath(loader, "statictest-unsafe"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("../statictest/hidden.txt");
        assertThatThrownBy(() -> StaticFiles.fromClasspath(loader, "no-such-root"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no-such-root/manifest.txt");
        assertThatThrownBy(() -> StaticFiles.fromClasspath(loader, "../etc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
    }

    @Test
    void contentTypesFollowTheExtension() {
        assertThat(StaticFiles.contentType("a.css")).isEqualTo("text/css; charset=utf-8");
        assertThat(StaticFiles.contentType("index.d.ts")).isEqualTo("text/plain; charset=utf-8");
        assertThat(StaticFiles.contentType("blob")).isEqualTo("application/octet-stream");
    }

    private HttpResponse get(String path) {
        return files.handle(HttpRequest.get(path)).join();
    }

    /** One request on a fresh connection, exactly as written (no client-side normalisation). */
    private static String rawGet(InetSocketAddress address, String path) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
