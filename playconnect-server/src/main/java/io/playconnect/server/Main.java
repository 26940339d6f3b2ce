package io.playconnect.server;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The entry point of {@code playconnect.jar}. */
public final class Main {
    static final String LOG_FORMAT = "PLAYCONNECT_LOG_FORMAT";

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        // Before anything logs: logback.xml picks its appender by this name, and an unknown one would
        // leave the server without any log line at all.
        String format = logFormat(System.getProperty(LOG_FORMAT, System.getenv(LOG_FORMAT)));
        if (format == null) {
            err.println(LOG_FORMAT + " must be text or json: '" + System.getProperty(LOG_FORMAT, System.getenv(LOG_FORMAT)) + "'");
            System.exit(2);
        }
        System.setProperty(LOG_FORMAT, format);
        System.exit(PlayConnectCommand.execute(args, System.getenv(), out, err));
    }

    /** {@code text} or {@code json} (any case, blank or unset is text), or null for anything else. */
    static String logFormat(String value) {
        if (value == null || value.isBlank()) {
            return "text";
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("text") || v.equals("json") ? v : null;
    }
}
