package io.playconnect.engine.kinds;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;

/** The JSON of {@code game} commands and events, read and written with the streaming API. */
final class ChessPayloads {

    /** The fields of a stored {@code game.move} or {@code game.resign} event that apply needs. */
    record Stored(String uci, String san, String color, String player, int ply, ChessState.Status status,
                  String winner) {
    }

    private ChessPayloads() {
    }

    /** The {@code move} string of a {@code game.move} command. */
    static String readMove(byte[] payload) {
        try (JsonParser p = KindJson.parser(payload)) {
            KindJson.expectObject(p);
            String move = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean isMove = "move".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (!isMove) {
                    p.skipChildren();
                } else if (value != JsonToken.VALUE_STRING || move != null) {
                    throw KindJson.badPayload("move must be given once, as a string such as \"e4\"");
                } else {
                    move = p.getText();
                }
            }
            KindJson.expectEnd(p);
            if (move == null) {
                throw KindJson.badPayload("move is required, e.g. {\"move\":\"e4\"}");
            }
            return move;
        } catch (IOException e) {
            throw KindJson.notJson();
        }
    }

    /** Checks that a payload is one JSON object, whatever it holds ({@code game.resign}). */
    static void requireObject(byte[] payload) {
        try (JsonParser p = KindJson.parser(payload)) {
            KindJson.expectObject(p);
            p.skipChildren();
            KindJson.expectEnd(p);
        } catch (IOException e) {
            throw KindJson.notJson();
        }
    }

    static byte[] writeMove(String input, ChessState.Pending d, String fen) {
        return KindJson.write(g -> {
            g.writeStartObject();
            g.writeStringField("move", input);
            g.writeStringField("san", d.san());
            g.writeStringField("uci", d.uci());
            writeCommon(g, ChessState.color(d.side()), d.player(), fen, d.ply(), d.status(), d.winner());
            g.writeEndObject();
        });
    }

    static byte[] writeResign(String color, String player, String fen, int ply, String winner) {
        return KindJson.write(g -> {
            g.writeStartObject();
            writeCommon(g, color, player, fen, ply, ChessState.Status.RESIGNED, winner);
            g.writeEndObject();
        });
    }

    private static void writeCommon(JsonGenerator g, String color, String player,
                                    String fen, int ply, ChessState.Status status, String winner)
            throws IOException {
        g.writeStringField("color", color);
        g.writeStringField("player", player);
        g.writeStringField("fen", fen);
        g.writeNumberField("ply", ply);
        g.writeStringField("status", status.wire());
        g.writeStringField("winner", winner);
    }

    /** Reads a stored event this logic wrote; unknown fields are skipped for later versions. */
    static Stored readStored(byte[] payload) {
        String uci = null;
        String san = null;
        String color = null;
        String player = null;
        int ply = 0;
        ChessState.Status status = ChessState.Status.ACTIVE;
        String winner = null;
        try (JsonParser p = KindJson.parser(payload)) {
            KindJson.expectObject(p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                switch (name) {
                    case "uci" -> uci = p.getValueAsString();
                    case "san" -> san = p.getValueAsString();
                    case "color" -> color = p.getValueAsString();
                    case "player" -> player = p.getValueAsString();
                    case "ply" -> ply = p.getValueAsInt();
                    case "status" -> status = ChessState.Status.fromWire(p.getValueAsString());
                    case "winner" -> winner = p.getValueAsString();
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("stored game event is not JSON", e);
        }
        return new Stored(uci, san, color, player, ply, status, winner);
    }
}
