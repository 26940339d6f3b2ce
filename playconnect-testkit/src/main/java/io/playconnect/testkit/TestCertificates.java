package io.playconnect.testkit;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost and 127.0.0.1, as PEM files, made with the JDK's own
 * {@code keytool}: TLS tests need no program the JDK does not bring, so they never skip.
 */
public final class TestCertificates {
    private static final char[] PASSWORD = "playconnect-test".toCharArray();

    /** The PEM certificate and PKCS#8 private key files. */
    public record Pem(Path certificate, Path privateKey) {
    }

    private TestCertificates() {
    }

    public static Pem selfSigned(Path dir) throws Exception {
        Path store = dir.resolve("test.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "test", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD);
        }
        Certificate cert = ks.getCertificate("test");
        Key key = ks.getKey("test", PASSWORD);
        Pem pem = new Pem(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        Files.writeString(pem.certificate(), pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(pem.privateKey(), pem("PRIVATE KEY", key.getEncoded()));
        return pem;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
