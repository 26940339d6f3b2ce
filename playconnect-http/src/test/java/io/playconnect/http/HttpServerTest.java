package io.playconnect.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class HttpServerTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpServer server;
    private int port;

    @BeforeEach
    void start() {
        server = HttpServer.newBuilder().host("127.0.0.1").port(0).maxContentLength(1024).build();
        port = server.start().join().getPort();
    }

    @AfterEach
    void stop() {
        server.stop().join();
    }

    private java.net.http.HttpResponse<String> get(String path) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(uri(path)).GET().build(), BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Test
    void handlerSeesMethodPathQueryAndHeadersAndItsAnswerIsWritten() throws Exception {
        AtomicReference<HttpRequest> seen = new AtomicReference<>();
        server.route("/hello", req -> {
            seen.set(req);
            return completedFuture(HttpResponse.text(200, "hi " + req.queryParam("name").orElse("?"))
                    .withHeader("X-Extra", "1"));
        });

        java.net.http.HttpResponse<String> res = client.send(java.net.http.HttpRequest.newBuilder(
                uri("/hello?name=al%20ice&tag=a&tag=b")).header("X-Test", "yes").GET().build(), BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("hi al ice");
        assertThat(res.headers().firstValue("content-type")).hasValue(HttpResponse.TEXT);
        assertThat(res.headers().firstValue("x-extra")).hasValue("1");
        HttpRequest req = seen.get();
        assertThat(req.method()).isEqualTo("GET");
        assertThat(req.path()).isEqualTo("/hello");
        assertThat(req.queryParams().get("tag")).containsExactly("a", "b");
        assertThat(req.header("x-TEST")).hasValue("yes");
        assertThat(req.body()).isEmpty();
    }

    @Test
    void postBodyReachesTheHandler() throws Exception {
        server.route("POST", "/echo", req -> completedFuture(HttpResponse.of(201, "application/octet-stream", req.body())));

        java.net.http.HttpResponse<String> res = client.send(java.net.http.HttpRequest.newBuilder(uri("/echo"))
                .POST(BodyPublishers.ofString("payload-ü")).build(), BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(201);
        assertThat(res.body()).isEqualTo("payload-ü");
    }

    @Test
    void handlerMayAnswerFromAnotherThread() throws Exception {
        server.route("/later", req -> CompletableFuture.supplyAsync(() -> HttpResponse.json(202, "{\"later\":true}")));

        java.net.http.HttpResponse<String> res = get("/later");

        assertThat(res.statusCode()).isEqualTo(202);
        assertThat(res.body()).isEqualTo("{\"later\":true}");
    }

    @Test
    void unknownPathIsJson404() throws Exception {
        java.net.http.HttpResponse<String> res = get("/nope");

        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(res.headers().firstValue("content-type")).hasValue(HttpResponse.JSON);
        assertThat(res.body()).isEqualTo("{\"code\":\"not_found\",\"message\":\"no endpoint at /nope\"}");
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        server.route("/only-get", req -> completedFuture(HttpResponse.text(200, "ok")));

        java.net.http.HttpResponse<String> res = client.send(java.net.http.HttpRequest.newBuilder(uri("/only-get"))
                .DELETE().build(), BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(res.headers().firstValue("allow")).hasValue("GET, HEAD");
        assertThat(res.body()).contains("\"code\":\"method_not_allowed\"");
    }

    @Test
    void headOfAGetRouteHasLengthButNoBody() throws Exception {
        server.route("/h", req -> completedFuture(HttpResponse.text(200, "12345")));

        java.net.http.HttpResponse<String> res = client.send(java.net.http.HttpRequest.newBuilder(uri("/h"))
                .method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-length")).hasValue("5");
        assertThat(res.body()).isEmpty();
    }

    @Test
    void bodyOverTheLimitIs413() throws Exception {
        server.route("POST", "/echo", req -> completedFuture(HttpResponse.text(200, "ok")));

        java.net.http.HttpResponse<String> res = client.send(java.net.http.HttpRequest.newBuilder(uri("/echo"))
                .POST(BodyPublishers.ofByteArray(new byte[1025])).build(), BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(413);
        assertThat(res.body()).contains("\"code\":\"payload_too_large\"");
    }

    @Test
    void bodyAtTheLimitIsAccepted() throws Exception {
        server.route("POST", "/len", req -> completedFuture(HttpResponse.text(200, "" + req.body().length)));

        java.net.http.HttpResponse<String> res = client.send(java.net.http.HttpRequest.newBuilder(uri("/len"))
                .POST(BodyPublishers.ofByteArray(new byte[1024])).build(), BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.body()).isEqualTo("1024");
    }

    @Test
    void failingThrowingOrNullHandlersGiveJson500() throws Exception {
        server.route("/fails", req -> CompletableFuture.failedFuture(new IllegalStateException("boom")));
        server.route("/throws", req -> {
            throw new IllegalStateException("boom");
        });
        server.route("/null", req -> null);

        for (String path : List.of("/fails", "/throws", "/null")) {
            java.net.http.HttpResponse<String> res = get(path);
            assertThat(res.statusCode()).as(path).isEqualTo(500);
            assertThat(res.body()).as(path).contains("\"code\":\"internal\"").doesNotContain("boom");
        }
    }

    @Test
    void malformedRequestGets400AndTheConnectionCloses() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /x HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readToEnd(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"bad_request\"");
        }
    }

    @Test
    void pipelinedAnswersAreWrittenInRequestOrder() throws Exception {
        CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
        CountDownLatch fastAnswered = new CountDownLatch(1);
        server.route("/slow", req -> slow);
        server.route("/fast", req -> {
            fastAnswered.countDown();
            return completedFuture(HttpResponse.text(200, "fast"));
        });
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /fast HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(fastAnswered.await(5, TimeUnit.SECONDS)).isTrue();
            slow.complete(HttpResponse.text(200, "slow"));
            String answer = readToEnd(socket.getInputStream());
            assertThat(answer.indexOf("slow")).isPositive().isLessThan(answer.indexOf("fast"));
        }
    }

    @Test
    void upgradeRouteHandsTheConnectionToTheGateway() throws Exception {
        AtomicReference<String> upgradeHeader = new AtomicReference<>();
        server.upgradeRoute("/echo-proto", (ctx, request) -> {
            upgradeHeader.set(request.headers().get("Upgrade"));
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
            ctx.pipeline().remove("http-aggregator");
            ctx.pipeline().remove("http-codec");
            ctx.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                @Override
                protected void channelRead0(ChannelHandlerContext c, ByteBuf msg) {
                    c.writeAndFlush(msg.retain());
                }
            });
        });
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /echo-proto HTTP/1.1\r\nHost: a\r\nUpgrade: echo\r\n"
                    + "Connection: Upgrade\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readUntil(in, "\r\n\r\n");
            assertThat(head).startsWith("HTTP/1.1 101");
            socket.getOutputStream().write("ping!".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("ping!");
        }
        assertThat(upgradeHeader.get()).isEqualTo("echo");
    }

    @Test
    void upgradeWaitsForEarlierPipelinedAnswers() throws Exception {
        CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
        CountDownLatch slowCalled = new CountDownLatch(1);
        server.route("/slow", req -> {
            slowCalled.countDown();
            return slow;
        });
        server.upgradeRoute("/up", (ctx, request) -> ctx.writeAndFlush(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS)));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /up HTTP/1.1\r\nHost: a\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(slowCalled.await(5, TimeUnit.SECONDS)).isTrue();
            slow.complete(HttpResponse.text(200, "slow"));
            InputStream in = socket.getInputStream();
            String first = readUntil(in, "slow");
            String second = readUntil(in, "\r\n\r\n");
            assertThat(first).startsWith("HTTP/1.1 200");
            assertThat(second).startsWith("HTTP/1.1 101");
        }
    }

    @Test
    void failingUpgradeHandlerClosesTheConnection() throws Exception {
        server.upgradeRoute("/broken", (ctx, request) -> {
            throw new IllegalStateException("gateway bug");
        });
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /broken HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void upgradeRouteTakesOnlyGet() throws Exception {
        server.upgradeRoute("/ws", (ctx, request) -> {
            throw new AssertionError("must not be called");
        });

        java.net.http.HttpResponse<String> res = client.send(java.net.http.HttpRequest.newBuilder(uri("/ws"))
                .POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(405);
        assertThat(res.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void conflictingRoutesAreRefused() {
        server.route("/a", req -> completedFuture(HttpResponse.text(200, "")));
        server.upgradeRoute("/u", (ctx, req) -> { });

        assertThatThrownBy(() -> server.route("/a", req -> null)).hasMessageContaining("GET /a is already registered");
        assertThatThrownBy(() -> server.upgradeRoute("/a", (ctx, req) -> { })).hasMessageContaining("/a");
        assertThatThrownBy(() -> server.route("/u", req -> null)).hasMessageContaining("/u is already an upgrade route");
        assertThatThrownBy(() -> server.route("no-slash", req -> null)).hasMessageContaining("path");
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        assertThatThrownBy(() -> HttpServer.newBuilder().port(70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> HttpServer.newBuilder().maxContentLength(-1)).hasMessageContaining("maxContentLength");
        assertThatThrownBy(() -> HttpServer.newBuilder().host(" ")).hasMessageContaining("host");
        assertThatThrownBy(() -> HttpServer.newBuilder().threads(0)).hasMessageContaining("threads");
    }

    @Test
    void takenPortFailsStartWithBindException() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            HttpServer second = HttpServer.newBuilder().port(taken.getLocalPort()).build();
            CompletableFuture<InetSocketAddress> started = second.start();
            await().atMost(Duration.ofSeconds(10)).until(started::isDone);
            assertThat(started).isCompletedExceptionally();
            assertThat(causes(started)).anyMatch(BindException.class::isInstance);
            assertThat(second.boundAddress()).isNull();
        }
    }

    @Test
    void startsOnceAndStopIsIdempotent() {
        assertThat(server.start()).isCompletedExceptionally();
        assertThat(server.boundAddress().getPort()).isEqualTo(port);
        server.stop().join();
        server.stop().join();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }

    @Test
    void sharedEventLoopGroupOutlivesTheServer() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            HttpServer shared = HttpServer.newBuilder().port(0).eventLoopGroup(group).build();
            shared.route("/x", req -> completedFuture(HttpResponse.text(200, "x")));
            int sharedPort = shared.start().join().getPort();
            java.net.http.HttpResponse<String> res = client.send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sharedPort + "/x")).build(), BodyHandlers.ofString());
            assertThat(res.body()).isEqualTo("x");
            shared.stop().join();
            assertThat(group.isShuttingDown()).isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void requestAndResponseRecordsAreImmutable() {
        byte[] body = {1, 2, 3};
        HttpRequest req = new HttpRequest("GET", "/", Map.of("q", List.of("1")), Map.of("X-A", List.of("v")), body);
        body[0] = 9;
        req.body()[1] = 9;
        assertThat(req.body()).containsExactly(1, 2, 3);
        assertThat(req.header("x-a")).hasValue("v");
        assertThatThrownBy(() -> req.queryParams().put("r", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> HttpResponse.text(600, "x")).hasMessageContaining("status");
        assertThat(HttpResponse.error(400, "bad_request", "a \"quoted\"\nline").bodyAsString())
                .isEqualTo("{\"code\":\"bad_request\",\"message\":\"a \\\"quoted\\\"\\nline\"}");
    }

    private static List<Throwable> causes(CompletableFuture<?> f) {
        Throwable t = f.handle((v, e) -> e).join();
        List<Throwable> all = new java.util.ArrayList<>();
        for (; t != null; t = t.getCause()) {
            all.add(t);
        }
        return all;
    }

    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (!out.toString(StandardCharsets.US_ASCII).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
