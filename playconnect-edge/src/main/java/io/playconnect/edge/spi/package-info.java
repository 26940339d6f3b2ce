/**
 * The protocol gateway plug-in SPI: a {@link io.playconnect.edge.spi.ProtocolGateway} is found with
 * {@link java.util.ServiceLoader} and started with a narrow {@link io.playconnect.edge.spi.GatewayContext}
 * (the edge, its settings, the meter registry and typed extensions such as a shared HTTP server),
 * never with the whole server. Depends on the edge and Micrometer only.
 */
package io.playconnect.edge.spi;
