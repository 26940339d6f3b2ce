package io.playconnect.gateway.grpc;

import io.playconnect.client.PlayConnectClient;
import io.playconnect.testkit.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TLS on the gRPC port when a certificate is configured (a self-signed one made with the JDK's keytool). */
class TlsTest {

    @Test
    void clientsCallOverTlsWithTheConfiguredCertificate(@TempDir Path dir) throws Exception {
        TestCertificates.Pem pem = TestCertificates.selfSigned(dir);
        Path cert = pem.certificate();
        Path key = pem.privateKey();
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
}
