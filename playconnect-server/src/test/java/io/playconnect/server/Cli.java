package io.playconnect.server;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the command in-process with a given environment, capturing what it prints. */
final class Cli {
    /** What one run printed and returned. */
    record Outcome(int code, String out, String err, List<String> printedBeforeStop) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    private Cli() {
    }

    /** Runs {@code args}; a {@code run} that starts is closed at once, after noting what it printed. */
    static Outcome execute(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> printed = new ArrayList<>();
        int code = PlayConnectCommand.execute(args, new PlayConnectCommand.Context(env, new PrintWriter(out, true),
                new PrintWriter(err, true), server -> {
                    printed.addAll(List.of(out.toString().split("\n")));
                    return server.awaitTermination() ? 0 : 1;
                }));
        return new Outcome(code, out.toString(), err.toString(), printed);
    }

    /** Parses {@code run} options (nothing starts) and returns the configuration they make. */
    static ServerConfig parseRun(Map<String, String> env, String... args) {
        PlayConnectCommand.Context context = new PlayConnectCommand.Context(env, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), server -> 0);
        CommandLine cl = PlayConnectCommand.prepare(args, context);
        cl.parseArgs(args);
        RunCommand run = cl.getSubcommands().get("run").getCommand();
        return run.toConfig();
    }
}
