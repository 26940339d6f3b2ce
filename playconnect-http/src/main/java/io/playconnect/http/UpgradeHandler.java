package io.playconnect.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Takes over a connection whose request hit an upgrade route (a WebSocket handshake, say). Called
 * on the connection's event loop with the router's context: add the protocol's handlers to
 * {@code ctx.pipeline()} and answer the handshake (or write an HTTP error) from here.
 *
 * <p>The router releases {@code request} when this method returns; retain it to use it later.
 * Anything the pipeline reads after the upgrade that is not an HTTP request is passed on
 * untouched, so handlers added after the router's position receive the protocol's frames.
 */
@FunctionalInterface
public interface UpgradeHandler {
    void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception;
}
