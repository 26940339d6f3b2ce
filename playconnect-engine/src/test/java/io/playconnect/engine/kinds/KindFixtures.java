package io.playconnect.engine.kinds;

import io.playconnect.core.Command;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Event;
import io.playconnect.core.Origin;
import io.playconnect.core.RoomId;
import io.playconnect.core.SyncException;
import io.playconnect.engine.spi.RoomLogic;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Drives a room logic the way the engine does (decide, then apply of the stored event) and keeps
 * the stored events so a test can replay them.
 */
final class KindFixtures<S> {
    static final String EPOCH = "e1";

    final RoomLogic<S> logic;
    final RoomId room;
    S state;
    final List<Event> stored = new ArrayList<>();
    long now = 1_700_000_000_000L;
    private int correlation;

    KindFixtures(RoomLogic<S> logic, String room) {
        this.logic = logic;
        this.room = RoomId.parse(room);
        this.state = logic.initialState(this.room);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    Command command(String type, String user, String json) {
        return command(type, user, utf8(json));
    }

    Command command(String type, String user, byte[] payload) {
        return new Command(room, type, payload, "c" + (++correlation), new Origin("test", user), null);
    }

    /** Decides and applies; returns the stored event. */
    Event send(String type, String user, String json) {
        Command command = command(type, user, json);
        byte[] payload = logic.decide(state, command, now);
        Event event = eventFor(command, payload, stored.size() + 1);
        logic.apply(state, event);
        stored.add(event);
        return event;
    }

    Event eventFor(Command command, byte[] payload, long seq) {
        return new Event(Event.eventId(EPOCH, seq), command.type(), room, seq, EPOCH, now + seq,
                command.correlationId(), null, command.origin(), payload);
    }

    /** Sends a command that must be refused with {@code code} and must leave the state as it was. */
    SyncException refuse(ErrorCode code, String type, String user, String json) {
        return refuse(code, command(type, user, json));
    }

    SyncException refuse(ErrorCode code, Command command) {
        byte[] before = logic.encodeState(state);
        SyncException e = catchThrowableOfType(SyncException.class, () -> logic.decide(state, command, now));
        assertThat(e).as("refusal of %s %s", command.type(), new String(command.payload(), StandardCharsets.UTF_8))
                .isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).isNotBlank();
        assertThat(logic.encodeState(state)).as("state after refused %s", e.getMessage()).isEqualTo(before);
        return e;
    }

    byte[] encoded() {
        return logic.encodeState(state);
    }

    String json() {
        return new String(encoded(), StandardCharsets.UTF_8);
    }

    /** A fresh state built only by applying the stored events (the replay path). */
    S replayed() {
        S fresh = logic.initialState(room);
        for (Event e : stored) {
            logic.apply(fresh, e);
        }
        return fresh;
    }

    /** decode(encode(state)) encoded again. */
    byte[] roundTripped() {
        return logic.encodeState(logic.decodeState(room, encoded()));
    }
}
