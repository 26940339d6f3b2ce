/**
 * The {@code playconnect} command and the one place that wires the product together: options
 * (flags, environment, config file) become an immutable {@link io.playconnect.server.ServerConfig};
 * {@link io.playconnect.server.PlayConnectServer} builds the broker, the engine, the HTTP port with
 * health, readiness and metrics (and, as they arrive, the protocol gateways) from it, and drains
 * them in order on SIGTERM.
 *
 * <p>May depend on every module of the product; nothing depends on it (tests that need a whole
 * server start one in-process through {@link io.playconnect.server.PlayConnectServer#start}).
 */
package io.playconnect.server;
