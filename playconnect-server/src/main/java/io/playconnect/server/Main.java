package io.playconnect.server;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** The entry point of {@code playconnect.jar}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(PlayConnectCommand.execute(args, System.getenv(), out, err));
    }
}
