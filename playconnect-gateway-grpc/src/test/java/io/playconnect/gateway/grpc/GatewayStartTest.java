package io.playconnect.gateway.grpc;

import io.playconnect.edge.spi.GatewayContext;
import io.playconnect.edge.spi.GatewaySettings;
import io.playconnect.edge.spi.ProtocolGateway;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.util.ServiceLoader;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** How the server finds and starts the gateway, and how a start fails. */
class GatewayStartTest {

    @Test
    void theServerFindsTheGatewayWithServiceLoader() {
        assertThat(ServiceLoader.load(ProtocolGateway.class).stream().map(p -> p.get().protocol()))
                .contains(GrpcGateway.PROTOCOL);
    }

    @Test
    void aTakenPortFailsTheStartWithTheBindErrorSoTheServerCanPickAnother() {
        try (GrpcFixture server = GrpcFixture.start()) {
            assertThat(server.listeners).hasSize(1);
            assertThat(server.listeners.get(0).name()).isEqualTo("grpc");
            assertThat(server.grpcUri.toString()).isEqualTo("grpc://127.0.0.1:" + server.grpcPort());
            GrpcGateway second = new GrpcGateway();
            CompletionException e = catchThrowableOfType(() -> second.start(context(server, server.grpcPort())).join(),
                    CompletionException.class);
            assertThat(portTaken(e)).as("a BindException (or its message) among the causes of " + e).isTrue();
            second.close();

            GrpcGateway shared = new GrpcGateway();
            CompletionException noPort = catchThrowableOfType(() -> shared.start(context(server, -1)).join(),
                    CompletionException.class);
            assertThat(noPort).hasRootCauseMessage("the grpc gateway needs a port of its own (HTTP/2), not the HTTP port");
            shared.close();
        }
    }

    private static GatewayContext context(GrpcFixture server, int port) {
        return GatewayContext.newBuilder().edge(server.edge)
                .settings(GatewaySettings.newBuilder().host("127.0.0.1").port(port)
                        .options(java.util.Map.of("http-api", "false")).build()).build();
    }

    private static boolean portTaken(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }
}
