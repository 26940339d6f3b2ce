package io.playconnect.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.playconnect.core.RoomId;
import io.playconnect.proto.v1.PublishRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A call's deadline bounds the edge's command timeout: with no engine the command would be retried
 * as NO_OWNER for 20 s, but the call ends at its 1 s deadline with DEADLINE_EXCEEDED, and the
 * gateway stops waiting for it.
 */
class DeadlineTest {

    @Test
    void aDeadlineShorterThanTheCommandTimeoutEndsTheCallAndNothingIsStored() {
        try (GrpcFixture server = GrpcFixture.newBuilder().withoutEngine()
                .limits(l -> l.commandTimeout(Duration.ofSeconds(20))).build()) {
            String room = "chat.deadline" + GrpcFixture.nextRoom();
            StatusRuntimeException e = catchThrowableOfType(() -> server.blocking(server.token("dee"))
                    .withDeadlineAfter(1, TimeUnit.SECONDS)
                    .publish(PublishRequest.newBuilder().setRoom(room).setType("message").setCorrelationId("d-1")
                            .setPayload(ByteString.copyFromUtf8("{\"text\":\"late\"}")).build()),
                    StatusRuntimeException.class);
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
            String code = e.getTrailers() == null ? null : e.getTrailers().get(Statuses.ERROR_CODE);
            if (code != null) {
                // The server answered (a little before the deadline) rather than the client's own timer.
                assertThat(code).isEqualTo("outcome_unknown");
                assertThat(e.getTrailers().get(Statuses.CORRELATION_ID)).isEqualTo("d-1");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> server.gateway.runtime().sessions.waiting() == 0);
            assertThat(server.stored(RoomId.parse(room))).isEmpty();
        }
    }
}
