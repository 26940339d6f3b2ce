package io.playconnect.edge.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads an X.509 {@code PUBLIC KEY} PEM file with the JDK alone (no BouncyCastle). */
final class PemKeys {
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";

    private PemKeys() {
    }

    static PublicKey readPublicKey(Path file, String parameter) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(parameter + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        return parsePublicKey(text, parameter + " (" + file + ")");
    }

    static PublicKey parsePublicKey(String pem, String what) {
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(what + ": expected a " + BEGIN + " block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": the PEM body is not base64", e);
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // Not this algorithm; the next one may fit.
            }
        }
        throw new IllegalArgumentException(what + ": not an RSA or EC public key");
    }
}
