package io.playconnect.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class TestCertificatesTest {

    @Test
    void makesAPemCertificateForLocalhostAndItsPkcs8Key(@TempDir Path dir) throws Exception {
        TestCertificates.Pem pem = TestCertificates.selfSigned(dir);
        X509Certificate cert;
        try (InputStream in = Files.newInputStream(pem.certificate())) {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(cert.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1))))
                .contains("localhost", "127.0.0.1");
        String key = Files.readString(pem.privateKey());
        assertThat(key).startsWith("-----BEGIN PRIVATE KEY-----\n");
        byte[] der = Base64.getMimeDecoder().decode(key.replaceAll("-----[A-Z ]+-----", ""));
        assertThat(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)).getAlgorithm())
                .isEqualTo("EC");
    }
}
