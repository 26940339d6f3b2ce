package io.playconnect.server;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A drain step that throws an Error still ends the drain, unclean, so the process exits with
 * status 1 instead of waiting for ever after SIGTERM. Seen here: a process whose jar was rebuilt
 * under it (`./playconnect` rebuilds a stale jar) failed its drain with NoClassDefFoundError and
 * then ignored every later SIGTERM.
 */
class DrainFailureTest {
    private static RunningServer start() {
        return PlayConnectServer.start(ServerConfig.newBuilder().httpPort(0)
                .mqttPort(ListenPort.explicit(0)).grpcPort(ListenPort.explicit(0))
                .tokenSecret("drain-failure-test-secret-0123456789").build());
    }

    private static RunningServer.Drainable throwing(Error error) {
        return new RunningServer.Drainable() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public CompletableFuture<Void> drain() {
                throw error;
            }
        };
    }

    @Test
    void aStepWhoseCodeNoLongerLoadsIsSkippedAndTheRestStillRuns() throws Exception {
        RunningServer server = start();
        String health = server.httpUrl() + "/healthz";
        server.gateways.add(0, throwing(new NoClassDefFoundError("io/playconnect/Gone")));
        assertThat(server.closeAsync().get(30, TimeUnit.SECONDS)).as("the drain ended, unclean").isFalse();
        // The HTTP server was stopped by a later step.
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(health)).build(),
                HttpResponse.BodyHandlers.discarding())).isInstanceOf(java.io.IOException.class);
    }

    /** Any other Error ends the sequence where it is, but the drain still completes (the process then exits 1). */
    @Test
    void anyOtherErrorStillCompletesTheDrain() throws Exception {
        RunningServer server = start();
        server.gateways.add(0, throwing(new AssertionError("a bug in a step")));
        // This server's later steps do not run: its ports and threads stay until the test JVM ends.
        assertThat(server.closeAsync().get(30, TimeUnit.SECONDS)).as("the drain ended, unclean").isFalse();
    }
}
