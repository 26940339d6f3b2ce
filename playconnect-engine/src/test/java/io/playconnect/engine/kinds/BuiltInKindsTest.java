package io.playconnect.engine.kinds;

import io.playconnect.engine.spi.RoomLogic;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class BuiltInKindsTest {

    @Test
    void theThreeKindsAreFoundByServiceLoader() {
        assertThat(ServiceLoader.load(RoomLogic.class).stream().map(p -> p.get().kind()))
                .contains("game", "doc", "chat");
        assertThat(ServiceLoader.load(RoomLogic.class).stream().map(ServiceLoader.Provider::type))
                .contains(ChessRoomLogic.class, DocRoomLogic.class, ChatRoomLogic.class);
    }
}
