/**
 * A small Netty HTTP/1.1 server that lets one port carry both plain request/response endpoints
 * (health, readiness, metrics) and protocol upgrades (the WebSocket gateway takes a connection
 * over from here).
 *
 * <p>Endpoint handlers see only this package's immutable {@link io.playconnect.http.HttpRequest}
 * and {@link io.playconnect.http.HttpResponse}; {@link io.playconnect.http.UpgradeHandler} is the
 * one place that exposes Netty, for gateways that are themselves Netty pipelines.
 *
 * <p>Depends on Netty's HTTP codec and SLF4J only; nothing of the product.
 */
package io.playconnect.http;
