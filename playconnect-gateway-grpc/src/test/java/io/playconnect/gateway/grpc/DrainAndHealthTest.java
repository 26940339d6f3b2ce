package io.playconnect.gateway.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.ServerMessage.MsgCase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Draining: health turns NOT_SERVING, new calls and API requests are refused as UNAVAILABLE (503),
 * and once the edge drains, open streams end with UNAVAILABLE and the close reason going_away.
 */
class DrainAndHealthTest {

    @Test
    void drainingTurnsHealthNotServingAndSendsStreamsElsewhere() throws Exception {
        try (GrpcFixture server = GrpcFixture.start()) {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(server.channel())
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
            String service = "playconnect.v1.SyncService";
            assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                    .isEqualTo(ServingStatus.SERVING);
            String room = "chat.drain" + GrpcFixture.nextRoom();
            StreamProbe open = StreamProbe.connect(server, server.token("stayer"));
            open.join(room);
            open.next(MsgCase.SNAPSHOT);

            server.gateway.drain().join();
            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(ServingStatus.NOT_SERVING);
            assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
                    .isEqualTo(ServingStatus.NOT_SERVING);
            StatusRuntimeException refused = catchThrowableOfType(() -> server.blocking(server.token("late"))
                    .publish(PublishRequest.newBuilder().setRoom(room).setType("message")
                            .setPayload(ByteString.copyFromUtf8("{\"text\":\"x\"}")).build()), StatusRuntimeException.class);
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(StreamProbe.connect(server, server.token("newcomer")).awaitEnd().getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE);
            HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(server.httpUri + "/api/v1/snapshot?room=" + room)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(503);

            server.edge.drain().join();
            Status end = open.awaitEnd();
            assertThat(end.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(open.endTrailers().get(Statuses.CLOSE_REASON)).isEqualTo("going_away");
        }
    }
}
