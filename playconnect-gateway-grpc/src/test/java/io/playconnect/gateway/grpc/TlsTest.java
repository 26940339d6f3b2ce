package io.playconnect.gateway.grpc;

import io.playconnect.client.PlayConnectClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS on the gRPC port when a certificate is configured (a self-signed one made by openssl). */
class TlsTest {

    @Test
    void clientsCallOverTlsWithTheConfiguredCertificate(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Assumptions.assumeTrue(selfSigned(cert, key), "openssl is needed to make a test certificate");
        try (GrpcFixture server = GrpcFixture.newBuilder()
                .options(Map.of("grpc-tls-cert", cert.toString(), "grpc-tls-key", key.toString())).build()) {
            assertThat(server.listeners.get(0).name()).isEqualTo("grpcs");
            assertThat(server.grpcUri.getScheme()).isEqualTo("grpcs");
            try (PlayConnectClient client = PlayConnectClient.newBuilder().target("localhost:" + server.grpcPort())
                    .trustCertificate(cert).token(server.token("tess")).build()) {
                assertThat(client.publish("chat.tls" + GrpcFixture.nextRoom(), "message", "{\"text\":\"secret\"}")
                        .get(10, TimeUnit.SECONDS).seq()).isEqualTo(1);
            }
            try (PlayConnectClient plaintext = PlayConnectClient.newBuilder().target("localhost:" + server.grpcPort())
                    .token(server.token("tess")).build()) {
                assertThatThrownBy(() -> plaintext.publish("chat.tls", "message", "{\"text\":\"x\"}")
                        .get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(io.playconnect.client.PlayConnectException.class);
            }
        }
    }

    @Test
    void aMissingKeyFileIsAConfigurationErrorNamingTheOption() {
        assertThatThrownBy(() -> GrpcConfig.newBuilder().tls(Path.of("/nonexistent/cert.pem"), Path.of("/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grpc-tls-cert");
    }

    private static boolean selfSigned(Path cert, Path key) throws Exception {
        try {
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                    "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.size(cert) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
