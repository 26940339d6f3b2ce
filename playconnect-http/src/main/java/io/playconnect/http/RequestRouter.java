package io.playconnect.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One per connection: dispatches aggregated requests to the route table and writes the answers in
 * request order even when handlers complete out of order (HTTP/1.1 pipelining). All state is
 * touched on the connection's event loop only, so nothing here locks.
 */
final class RequestRouter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestRouter.class);
    /** Pipelined requests answered-but-unwritten before the router stops reading (back-pressure). */
    static final int MAX_IN_FLIGHT = 16;

    private final Routes routes;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private int inFlight;
    private boolean closing;

    RequestRouter(Routes routes) {
        this.routes = routes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!closing) {
                dispatch(ctx, request);
            }
        } finally {
            ReferenceCountUtil.release(request);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            badRequest(ctx, "malformed HTTP request");
            return;
        }
        QueryStringDecoder uri;
        String path;
        try {
            uri = new QueryStringDecoder(request.uri());
            path = uri.path();
        } catch (IllegalArgumentException e) {
            badRequest(ctx, "malformed request target");
            return;
        }
        String method = request.method().name();
        Routes.Route route = routes.find(path);
        if (route == null) {
            enqueue(ctx, CompletableFuture.completedFuture(
                    HttpResponse.error(404, "not_found", "no endpoint at " + path)), keepAlive);
        } else if (route instanceof Routes.Upgrade upgrade) {
            upgrade(ctx, request, method, upgrade.handler(), keepAlive);
        } else {
            Routes.Endpoints endpoints = (Routes.Endpoints) route;
            HttpHandler handler = endpoints.find(method);
            if (handler == null) {
                enqueue(ctx, CompletableFuture.completedFuture(methodNotAllowed(method, endpoints.allow())),
                        keepAlive);
            } else {
                enqueue(ctx, invoke(handler, toRequest(request, method, path, uri)), keepAlive, path);
            }
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String method,
                         UpgradeHandler handler, boolean keepAlive) {
        if (!"GET".equals(method)) {
            enqueue(ctx, CompletableFuture.completedFuture(methodNotAllowed(method, "GET")), keepAlive);
            return;
        }
        if (inFlight == 0) {
            // Synchronously, so the new protocol's handlers are in place before the next read.
            runUpgrade(ctx, request, handler);
            return;
        }
        // Earlier pipelined answers go out first; the handshake waits for them.
        request.retain();
        tail = tail.handle((ignored, error) -> (Void) null).thenRunAsync(() -> {
            try {
                runUpgrade(ctx, request, handler);
            } finally {
                request.release();
            }
        }, ctx.executor());
    }

    private static void runUpgrade(ChannelHandlerContext ctx, FullHttpRequest request, UpgradeHandler handler) {
        try {
            handler.upgrade(ctx, request);
        } catch (Exception e) {
            log.warn("upgrade handler for {} failed; closing the connection", request.uri(), e);
            ctx.close();
        }
    }

    private static HttpResponse methodNotAllowed(String method, String allow) {
        return HttpResponse.error(405, "method_not_allowed", method + " is not allowed here; use " + allow)
                .withHeader("Allow", allow);
    }

    private void badRequest(ChannelHandlerContext ctx, String message) {
        closing = true;
        enqueue(ctx, CompletableFuture.completedFuture(HttpResponse.error(400, "bad_request", message)), false);
    }

    private static CompletableFuture<HttpResponse> invoke(HttpHandler handler, HttpRequest request) {
        try {
            CompletableFuture<HttpResponse> answer = handler.handle(request);
            return answer != null ? answer
                    : CompletableFuture.failedFuture(new IllegalStateException("handler returned null"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void enqueue(ChannelHandlerContext ctx, CompletableFuture<HttpResponse> answer, boolean keepAlive) {
        enqueue(ctx, answer, keepAlive, null);
    }

    private void enqueue(ChannelHandlerContext ctx, CompletableFuture<HttpResponse> answer, boolean keepAlive,
                         String path) {
        if (++inFlight >= MAX_IN_FLIGHT) {
            ctx.channel().config().setAutoRead(false);
        }
        CompletableFuture<HttpResponse> safe = answer.handle((response, error) -> {
            if (error == null && response != null) {
                return response;
            }
            log.warn("HTTP handler for {} failed", path, error);
            return HttpResponse.error(500, "internal", "the endpoint failed");
        });
        tail = tail.thenCombine(safe, (ignored, response) -> response)
                .thenAcceptAsync(response -> write(ctx, response, keepAlive), ctx.executor());
    }

    private void write(ChannelHandlerContext ctx, HttpResponse response, boolean keepAlive) {
        FullHttpResponse out = toNetty(response);
        if (keepAlive) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
            if (--inFlight < MAX_IN_FLIGHT && !ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(true);
            }
            if (!keepAlive || !f.isSuccess()) {
                f.channel().close();
            }
        });
    }

    static FullHttpResponse toNetty(HttpResponse response) {
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.bodyUnsafe()));
        response.headers().forEach(out.headers()::set);
        if (response.contentType() != null) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        }
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, out.content().readableBytes());
        return out;
    }

    private static HttpRequest toRequest(FullHttpRequest request, String method, String path,
                                         QueryStringDecoder uri) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>(1)).add(h.getValue());
        }
        return new HttpRequest(method, path, uri.parameters(), headers, ByteBufUtil.getBytes(request.content()));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
