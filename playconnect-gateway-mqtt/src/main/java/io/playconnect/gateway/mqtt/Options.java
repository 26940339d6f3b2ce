package io.playconnect.gateway.mqtt;

import io.playconnect.edge.spi.GatewaySettings;

import java.time.Duration;
import java.util.Locale;

/** Parsing of the gateway's string options, with the option's name in every error. */
final class Options {
    private Options() {
    }

    interface IntSetter {
        void set(int value);
    }

    static void intOption(GatewaySettings settings, String name, IntSetter setter) {
        String v = settings.option(name, null);
        if (v != null) {
            setter.set(parseInt(name, v));
        }
    }

    static boolean parseBoolean(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("yes") || v.equals("1")) {
            return true;
        }
        if (v.equals("false") || v.equals("no") || v.equals("0") || v.isEmpty()) {
            return false;
        }
        throw new IllegalArgumentException(name + " must be true or false: " + value);
    }

    static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer: " + value);
        }
    }

    /** Parses {@code 2s}, {@code 500ms}, {@code 1m}, {@code PT2S} or plain seconds. */
    static Duration parseDuration(String name, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 2s or 500ms: " + value);
        }
    }
}
