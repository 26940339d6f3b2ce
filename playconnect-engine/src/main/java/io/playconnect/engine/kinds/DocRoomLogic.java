package io.playconnect.engine.kinds;

import io.playconnect.core.Command;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Event;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import io.playconnect.engine.spi.RoomLogic;

import java.util.Arrays;

/**
 * The {@code doc} room kind: a shared JSON document where the last writer wins by hybrid logical
 * clock, so offline edits merge by when they were made rather than when they arrived.
 *
 * <p>Commands: {@code doc.set {"path":"/a/b","value":<any JSON>,"hlc":{"t":<millis>,"c":<n>}}}
 * and {@code doc.delete {"path":"/a/b","hlc":{...}}}. The path is JSON-Pointer-like ({@code ""} or
 * {@code "/"} is the root; at most 16 segments of 1 to 64 characters; {@code ~0}, {@code ~1}
 * escapes). Refusals: {@code bad_payload}, {@code clock_skew} (t more than 60 s ahead of the
 * engine's clock), {@code unknown_type}. The stored payload is the command's own.
 *
 * <p>Merge rules. Every write is a register at its path with a stamp {@code (hlc, client)}; ties
 * on the clock go to the greater client id (plain string order).
 * <ul>
 *   <li>A write at P with stamp s removes every register at P or below P whose stamp is older
 *       than s. A delete stays as a tombstone with its stamp, so a later-arriving older set at P or
 *       below is dropped instead of bringing the value back.</li>
 *   <li>A write is dropped when a register at P or above P has a newer stamp: the newer write to
 *       the parent already replaced the whole subtree.</li>
 *   <li>A register below P that is newer than P's write survives and overlays P's value when the
 *       document is materialised. Where the value at the parent position is not an object (a
 *       scalar, an array, null, or nothing), a surviving child set turns that position into an
 *       object holding the child; a child delete there changes nothing. Arrays are values: they
 *       are replaced whole, never addressed by index.</li>
 * </ul>
 * Which registers survive depends only on the set of writes, never on their order, and the
 * document is a function of the surviving registers (fields keep the parent value's order, keys
 * added by children follow in sorted order), so every permutation of the same events encodes to
 * the same bytes. Tombstones are kept for the life of the room.
 */
public final class DocRoomLogic implements RoomLogic<DocState> {
    public static final String KIND = "doc";
    public static final String SET = "doc.set";
    public static final String DELETE = "doc.delete";
    public static final int VERSION = 1;
    /** How far ahead of the engine's clock a client's clock may be. */
    public static final long MAX_SKEW_MILLIS = 60_000;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int version() {
        return VERSION;
    }

    @Override
    public DocState initialState(RoomId room) {
        return new DocState();
    }

    @Override
    public byte[] decide(DocState state, Command command, long nowMillis) {
        boolean set = isSet(command.type());
        String client = command.origin().user();
        DocWrite write = DocPayloads.read(command.payload(), set, client);
        if (write.t > nowMillis + MAX_SKEW_MILLIS) {
            throw new SyncException(ErrorCode.CLOCK_SKEW, "hlc.t " + write.t + " is more than "
                    + MAX_SKEW_MILLIS / 1000 + " s ahead of the server clock " + nowMillis);
        }
        state.pending = new DocState.Pending(command.payload(), command.type(), client, write);
        return command.payload();
    }

    private static boolean isSet(String type) {
        if (SET.equals(type)) {
            return true;
        }
        if (DELETE.equals(type)) {
            return false;
        }
        throw new SyncException(ErrorCode.UNKNOWN_TYPE,
                "a doc room takes " + SET + " and " + DELETE + ", not " + type);
    }

    @Override
    public void apply(DocState state, Event event) {
        boolean set = SET.equals(event.type());
        if (!set && !DELETE.equals(event.type())) {
            return;
        }
        String client = event.origin() == null ? "" : event.origin().user();
        DocState.Pending p = state.pending;
        state.pending = null;
        byte[] payload = event.payload();
        DocWrite write;
        if (p != null && p.type().equals(event.type()) && p.client().equals(client)
                && (p.payload() == payload || Arrays.equals(p.payload(), payload))) {
            write = p.write();
        } else {
            write = DocPayloads.read(payload, set, client);
        }
        state.write(write);
    }

    @Override
    public byte[] encodeState(DocState state) {
        return DocCodec.encode(state);
    }

    @Override
    public DocState decodeState(RoomId room, byte[] json) {
        return DocCodec.decode(json);
    }
}
