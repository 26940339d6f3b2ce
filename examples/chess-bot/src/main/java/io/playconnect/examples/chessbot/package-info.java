/**
 * An example backend service: a chess bot that joins a PlayConnect {@code game} room over gRPC with
 * the Java client ({@code playconnect-client}) and answers a player's moves. May depend on
 * playconnect-client (and through it playconnect-core) and the chess rules library; it talks to a
 * server only over the network.
 */
package io.playconnect.examples.chessbot;
