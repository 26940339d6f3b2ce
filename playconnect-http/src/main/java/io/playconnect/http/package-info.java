/**
 * A small Netty HTTP/1.1 server that lets one port carry both plain request/response endpoints
 * (health, readiness, metrics) and protocol upgrades (the WebSocket gateway takes a connection
 * over from here).
 *
 * <p>Endpoint handlers see only this package's immutable {@link io.playconnect.http.HttpRequest}
 * and {@link io.playconnect.http.HttpResponse}. Netty shows only where gateways, themselves Netty
 * pipelines, need it: {@link io.playconnect.http.UpgradeHandler} takes a connection over, and
 * {@link io.playconnect.http.NettyListener}, the bare listening port under the HTTP server, serves
 * a gateway's own port.
 *
 * <p>Depends on Netty's HTTP codec and SLF4J only; nothing of the product.
 */
package io.playconnect.http;
