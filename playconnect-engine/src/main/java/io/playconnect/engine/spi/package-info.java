/**
 * The room-logic SPI: implement {@link io.playconnect.engine.spi.RoomLogic} and list the class in
 * {@code META-INF/services/io.playconnect.engine.spi.RoomLogic} to add or replace a room kind.
 */
package io.playconnect.engine.spi;
