package io.playconnect.gateway.mqtt;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import io.playconnect.testkit.TestCertificates;
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

/** TLS on the gateway's port when a certificate is configured (a self-signed one made with the JDK's keytool). */
class TlsTest {

    @Test
    void clientsConnectOverTlsWithTheConfiguredCertificate(@TempDir Path dir) throws Exception {
        TestCertificates.Pem pem = TestCertificates.selfSigned(dir);
        Path cert = pem.certificate();
        Path key = pem.privateKey();
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
