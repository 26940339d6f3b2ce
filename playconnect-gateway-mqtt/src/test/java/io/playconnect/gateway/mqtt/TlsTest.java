package io.playconnect.gateway.mqtt;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** TLS on the gateway's port when a certificate is configured (a self-signed one made by openssl). */
class TlsTest {

    @Test
    void clientsConnectOverTlsWithTheConfiguredCertificate(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Assumptions.assumeTrue(selfSigned(cert, key), "openssl is needed to make a test certificate");
        try (MqttFixture server = MqttFixture.newBuilder()
                .options(Map.of("mqtt-tls-cert", cert.toString(), "mqtt-tls-key", key.toString())).build()) {
            assertThat(server.listeners.get(0).name()).isEqualTo("mqtts");
            assertThat(server.tcpUri.getScheme()).isEqualTo("mqtts");
            MqttConnectOptions options = Paho.v3Options(server.token("tess"));
            options.setSocketFactory(trusting(cert).getSocketFactory());
            MqttClient client = new MqttClient("ssl://127.0.0.1:" + server.port(), "tls-client", new MemoryPersistence());
            client.connect(options);
            assertThat(client.isConnected()).isTrue();
            client.publish("chat/tls" + MqttFixture.nextRoom() + "/message", "{\"text\":\"secret\"}".getBytes(), 1, false);
            Paho.closeQuietly(client);
        }
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

    private static SSLContext trusting(Path certFile) throws Exception {
        Certificate cert;
        try (InputStream in = Files.newInputStream(certFile)) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("test", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
