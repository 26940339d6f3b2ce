package io.playconnect.engine.kinds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.playconnect.core.Command;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.Event;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static io.playconnect.engine.kinds.DocRoomLogic.DELETE;
import static io.playconnect.engine.kinds.DocRoomLogic.SET;
import static org.assertj.core.api.Assertions.assertThat;

class DocRoomLogicTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KindFixtures<DocState> room = new KindFixtures<>(new DocRoomLogic(), "doc.notes");

    private Event set(String user, String path, String value, long t, long c) {
        return room.send(SET, user, "{\"path\":\"" + path + "\",\"value\":" + value + ",\"hlc\":{\"t\":" + t
                + ",\"c\":" + c + "}}");
    }

    private Event delete(String user, String path, long t, long c) {
        return room.send(DELETE, user, "{\"path\":\"" + path + "\",\"hlc\":{\"t\":" + t + ",\"c\":" + c + "}}");
    }

    private JsonNode doc() throws IOException {
        return JSON.readTree(room.encoded()).get("doc");
    }

    private static JsonNode tree(String json) throws IOException {
        return JSON.readTree(json);
    }

    @Test
    void anEmptyDocumentIsAnEmptyObject() throws IOException {
        assertThat(JSON.readTree(room.encoded()))
                .isEqualTo(tree("{\"doc\":{},\"hlc\":{\"t\":0,\"c\":0},\"registers\":[]}"));
    }

    @Test
    void setsBuildTheDocumentAndTheStoredPayloadIsTheCommandsOwn() throws IOException {
        Command command = room.command(SET, "alice", "{\"path\":\"/a/b\",\"value\":1,\"hlc\":{\"t\":5,\"c\":0}}");
        assertThat(room.logic.decide(room.state, command, room.now)).isSameAs(command.payload());
        set("alice", "/a/c", "[1,{\"x\":null}]", 6, 0);
        set("bob", "/title", "\"hello\"", 7, 2);
        room.logic.apply(room.state, room.eventFor(command, command.payload(), 9));
        assertThat(doc()).isEqualTo(tree("{\"a\":{\"b\":1,\"c\":[1,{\"x\":null}]},\"title\":\"hello\"}"));
        assertThat(JSON.readTree(room.encoded()).get("hlc")).isEqualTo(tree("{\"t\":7,\"c\":2}"));
        assertThat(room.state.registerCount()).isEqualTo(3);
    }

    @Test
    void theNewerWriteWinsWhateverTheArrivalOrder() throws IOException {
        set("alice", "/x", "2", 20, 0);
        set("alice", "/x", "1", 10, 0);
        assertThat(doc()).isEqualTo(tree("{\"x\":2}"));
        set("alice", "/x", "3", 20, 1);
        assertThat(doc()).isEqualTo(tree("{\"x\":3}"));
    }

    @Test
    void equalClocksAreBrokenByClientId() throws IOException {
        set("bob", "/x", "\"bob\"", 10, 0);
        set("alice", "/x", "\"alice\"", 10, 0);
        assertThat(doc()).isEqualTo(tree("{\"x\":\"bob\"}"));
        KindFixtures<DocState> other = new KindFixtures<>(new DocRoomLogic(), "doc.other");
        other.send(SET, "alice", "{\"path\":\"/x\",\"value\":\"alice\",\"hlc\":{\"t\":10,\"c\":0}}");
        other.send(SET, "bob", "{\"path\":\"/x\",\"value\":\"bob\",\"hlc\":{\"t\":10,\"c\":0}}");
        assertThat(other.encoded()).isEqualTo(room.encoded());
    }

    @Test
    void aTombstoneBeatsALateOlderSetAtAndBelowItsPath() throws IOException {
        set("alice", "/a", "{\"b\":1}", 5, 0);
        delete("bob", "/a", 10, 0);
        set("carol", "/a", "{\"b\":2}", 8, 0);
        set("carol", "/a/b", "3", 9, 9);
        assertThat(doc()).isEqualTo(tree("{}"));
        JsonNode registers = JSON.readTree(room.encoded()).get("registers");
        assertThat(registers).hasSize(1);
        assertThat(registers.get(0).get("deleted").asBoolean()).isTrue();
        set("carol", "/a/b", "4", 11, 0);
        assertThat(doc()).isEqualTo(tree("{\"a\":{\"b\":4}}"));
    }

    @Test
    void aNewerChildSurvivesAnOlderParentWriteAndOverlaysIt() throws IOException {
        set("alice", "/a/b", "1", 10, 0);
        set("bob", "/a", "{\"x\":1,\"b\":0}", 5, 0);
        assertThat(room.json()).contains("\"doc\":{\"a\":{\"x\":1,\"b\":1}}");
        set("bob", "/a", "7", 6, 0);
        assertThat(doc()).isEqualTo(tree("{\"a\":{\"b\":1}}"));
        set("bob", "/a", "[1,2]", 11, 0);
        assertThat(doc()).isEqualTo(tree("{\"a\":[1,2]}"));
        assertThat(room.state.registerCount()).isEqualTo(1);
    }

    @Test
    void aChildDeleteUnderANonObjectChangesNothing() throws IOException {
        set("alice", "/a", "5", 1, 0);
        delete("alice", "/a/b", 2, 0);
        assertThat(doc()).isEqualTo(tree("{\"a\":5}"));
        set("alice", "/o", "{\"k\":1,\"m\":2}", 3, 0);
        delete("alice", "/o/k", 4, 0);
        assertThat(doc()).isEqualTo(tree("{\"a\":5,\"o\":{\"m\":2}}"));
    }

    @Test
    void theRootCanBeSetAndDeleted() throws IOException {
        set("alice", "/k", "1", 1, 0);
        set("alice", "/", "[1]", 2, 0);
        assertThat(doc()).isEqualTo(tree("[1]"));
        delete("alice", "", 3, 0);
        assertThat(doc()).isEqualTo(tree("{}"));
        set("alice", "/k", "2", 4, 0);
        assertThat(doc()).isEqualTo(tree("{\"k\":2}"));
    }

    @Test
    void escapedSegmentsAreKeysWithSlashesAndTildes() throws IOException {
        set("alice", "/a~1b/c~0d", "true", 1, 0);
        assertThat(doc()).isEqualTo(tree("{\"a/b\":{\"c~d\":true}}"));
        assertThat(JSON.readTree(room.encoded()).get("registers").get(0).get("path").asText())
                .isEqualTo("/a~1b/c~0d");
    }

    @Test
    void clocksTooFarAheadAreRefused() {
        long now = room.now;
        room.refuse(ErrorCode.CLOCK_SKEW, SET, "alice",
                "{\"path\":\"/a\",\"value\":1,\"hlc\":{\"t\":" + (now + 60_001) + ",\"c\":0}}");
        room.refuse(ErrorCode.CLOCK_SKEW, DELETE, "alice",
                "{\"path\":\"/a\",\"hlc\":{\"t\":" + (now + 3_600_000) + ",\"c\":0}}");
        set("alice", "/a", "1", now + 60_000, 0);
        set("alice", "/b", "1", 0, 0);
    }

    @Test
    void malformedPayloadsAreRefusedWithoutChange() {
        set("alice", "/a", "1", 1, 0);
        String hlc = ",\"hlc\":{\"t\":2,\"c\":0}";
        for (String bad : List.of("[]", "1", "null", "not json", "", "{}",
                "{\"value\":1" + hlc + "}",
                "{\"path\":\"/b\"" + hlc + "}",
                "{\"path\":\"/b\",\"value\":1}",
                "{\"path\":5,\"value\":1" + hlc + "}",
                "{\"path\":\"b\",\"value\":1" + hlc + "}",
                "{\"path\":\"/a//b\",\"value\":1" + hlc + "}",
                "{\"path\":\"/a/\",\"value\":1" + hlc + "}",
                "{\"path\":\"/a~2\",\"value\":1" + hlc + "}",
                "{\"path\":\"/a~\",\"value\":1" + hlc + "}",
                "{\"path\":\"/" + "x".repeat(65) + "\",\"value\":1" + hlc + "}",
                "{\"path\":\"" + "/s".repeat(17) + "\",\"value\":1" + hlc + "}",
                "{\"path\":\"/b\",\"path\":\"/c\",\"value\":1" + hlc + "}",
                "{\"path\":\"/b\",\"value\":1,\"value\":2" + hlc + "}",
                "{\"path\":\"/b\",\"value\":1,\"hlc\":{\"t\":-1,\"c\":0}}",
                "{\"path\":\"/b\",\"value\":1,\"hlc\":{\"t\":1.5,\"c\":0}}",
                "{\"path\":\"/b\",\"value\":1,\"hlc\":{\"t\":\"1\",\"c\":0}}",
                "{\"path\":\"/b\",\"value\":1,\"hlc\":{\"t\":1}}",
                "{\"path\":\"/b\",\"value\":1,\"hlc\":{\"t\":99999999999999999999999,\"c\":0}}",
                "{\"path\":\"/b\",\"value\":1,\"hlc\":[1,0]}",
                "{\"path\":\"/b\",\"value\":[1," + hlc + "}",
                "{\"path\":\"/b\",\"value\":1" + hlc + "} x")) {
            room.refuse(ErrorCode.BAD_PAYLOAD, SET, "alice", bad);
        }
        room.refuse(ErrorCode.BAD_PAYLOAD, DELETE, "alice", "{\"path\":\"/a\"}");
        room.refuse(ErrorCode.UNKNOWN_TYPE, "doc.merge", "alice", "{\"path\":\"/a\",\"value\":1" + hlc + "}");
        set("alice", "/" + "x".repeat(64), "1", 2, 0);
        set("alice", "/s".repeat(16), "1", 2, 0);
    }

    @Test
    void valuesKeepTheirBytesAndHugeNumbersStayValidJson() throws IOException {
        set("alice", "/n", "{ \"big\" : 1e400, \"s\": \"\\u00e9\\n\" }", 1, 0);
        assertThat(room.json()).contains("\"value\":{ \"big\" : 1e400, \"s\": \"\\u00e9\\n\" }");
        set("alice", "/n/extra", "true", 2, 0);
        JsonNode doc = doc();
        assertThat(doc.get("n").get("big").isNumber()).isTrue();
        assertThat(doc.get("n").get("s").asText()).isEqualTo("\u00e9\n");
        assertThat(room.roundTripped()).isEqualTo(room.encoded());
    }

    @Test
    void snapshotRoundTripReencodesIdentically() {
        set("alice", "/a", "{\"b\":{\"c\":1}}", 1, 0);
        set("bob", "/a/b/d", "\"x\"", 2, 0);
        delete("carol", "/a/b/c", 3, 0);
        delete("carol", "/gone", 3, 1);
        set("bob", "/z", "null", 9, 4);
        assertThat(room.roundTripped()).isEqualTo(room.encoded());
        DocState decoded = room.logic.decodeState(room.room, room.encoded());
        assertThat(decoded.hlcMillis()).isEqualTo(9);
        assertThat(decoded.hlcCounter()).isEqualTo(4);
        assertThat(decoded.registerCount()).isEqualTo(room.state.registerCount());
    }

    @Test
    void replayingStoredEventsRebuildsTheSameState() {
        set("alice", "/a", "{\"b\":1}", 1, 0);
        set("bob", "/a/c", "2", 2, 0);
        delete("alice", "/a/b", 3, 0);
        assertThat(room.logic.encodeState(room.replayed())).isEqualTo(room.encoded());
    }

    @Test
    void applyOfACopiedPayloadGivesTheSameResult() throws IOException {
        Command command = room.command(SET, "alice", "{\"path\":\"/q\",\"value\":1,\"hlc\":{\"t\":1,\"c\":0}}");
        byte[] payload = room.logic.decide(room.state, command, room.now);
        room.logic.apply(room.state, room.eventFor(command, Arrays.copyOf(payload, payload.length), 1));
        assertThat(doc()).isEqualTo(tree("{\"q\":1}"));
    }
}
