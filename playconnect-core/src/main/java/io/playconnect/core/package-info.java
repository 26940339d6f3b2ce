/**
 * The PlayConnect Sync contract: the versioned event envelope ({@link io.playconnect.core.Event},
 * {@link io.playconnect.core.Command}, {@link io.playconnect.core.RoomId},
 * {@link io.playconnect.core.StreamPosition}, {@link io.playconnect.core.Origin}), the typed error
 * codes every protocol reports, and (in {@code spi}) the interfaces the engine, the gateways and
 * the brokers meet at.
 *
 * <p>This module may depend on the JDK, Jackson, the OpenTelemetry API and SLF4J only (the last two
 * for {@code io.playconnect.core.trace}). Everything else in the product depends
 * on it; it depends on nothing of the product.
 */
package io.playconnect.core;
