package io.playconnect.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;

/**
 * The {@code playconnect} command: {@code run} and {@code token}. Errors in what the user typed
 * are one line naming the option, a hint, and exit status 2.
 */
@Command(name = "playconnect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "PlayConnect Sync: rooms with an authoritative state, over WebSocket, MQTT and gRPC.",
        footer = {"", "Run 'playconnect COMMAND --help' for a command's options."})
public final class PlayConnectCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(PlayConnectCommand.class);
    static final int USAGE_ERROR = 2;

    /**
     * What a command needs from its process: the environment, where to print, and what {@code run}
     * does once the server is up (wait for a signal, in the real command; tests stop at once).
     */
    record Context(Map<String, String> env, PrintWriter out, PrintWriter err, ToIntFunction<RunningServer> awaiter) {
    }

    @Spec
    CommandSpec spec;

    private PlayConnectCommand() {
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: run or token");
    }

    /** The process entry point (the jar's Main-Class, {@link Main}, does the same). */
    public static void main(String[] args) {
        Main.main(args);
    }

    /** Runs the command line as the {@code playconnect} process would and returns its exit status. */
    public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return execute(args, new Context(env, out, err, ShutdownSignals::awaitSignal));
    }

    static int execute(String[] args, Context context) {
        CommandLine cl;
        try {
            cl = prepare(args, context);
        } catch (StartupException e) {
            return fail(context.err(), e.getMessage(), "playconnect run");
        }
        return cl.execute(args);
    }

    /**
     * The command line, with the environment and the config file in place, ready to parse
     * {@code args}. Throws {@link StartupException} when the config file cannot be used.
     */
    static CommandLine prepare(String[] args, Context context) {
        String file = configFile(args, context.env());
        Path path = file == null ? null : Path.of(file);
        EnvAndFileDefaults defaults = new EnvAndFileDefaults(context.env(),
                path == null ? new Properties() : EnvAndFileDefaults.load(path), path);
        CommandLine cl = commandLine(context, defaults);
        Set<String> unknown = defaults.unknownKeys(configKeys(cl));
        if (!unknown.isEmpty()) {
            throw new StartupException("--config " + path + ": unknown key " + String.join(", ", unknown));
        }
        return cl;
    }

    private static CommandLine commandLine(Context context, EnvAndFileDefaults defaults) {
        CommandLine cl = new CommandLine(new PlayConnectCommand());
        cl.addSubcommand(new CommandLine(new RunCommand(context)));
        cl.addSubcommand(new CommandLine(new TokenCommand(context)));
        cl.setOut(context.out());
        cl.setErr(context.err());
        cl.setDefaultValueProvider(defaults);
        cl.setParameterExceptionHandler((ex, a) -> fail(context.err(), OneLineErrors.describe(ex, defaults),
                ex.getCommandLine().getCommandSpec().qualifiedName()));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof StartupException) {
                return fail(context.err(), ex.getMessage(), null);
            }
            log.error("playconnect failed", ex);
            context.err().println("playconnect: failed: " + OneLineErrors.firstLine(String.valueOf(ex.getMessage())));
            context.err().flush();
            return 1;
        });
        return cl;
    }

    private static int fail(PrintWriter err, String message, String hintCommand) {
        err.println("playconnect: " + message);
        if (hintCommand != null) {
            err.println("Try '" + hintCommand + " --help' for more information.");
        }
        err.flush();
        return USAGE_ERROR;
    }

    /** The config file is needed before picocli parses (defaults are applied first), so it is found here. */
    static String configFile(String[] args, Map<String, String> env) {
        String found = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                found = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                found = args[i].substring("--config=".length());
            }
        }
        if (found == null) {
            String fromEnv = env.get(EnvAndFileDefaults.envName("config"));
            found = fromEnv == null || fromEnv.isBlank() ? null : fromEnv.trim();
        }
        return found;
    }

    private static Set<String> configKeys(CommandLine cl) {
        Set<String> keys = new TreeSet<>();
        for (CommandLine sub : cl.getSubcommands().values()) {
            for (OptionSpec o : sub.getCommandSpec().options()) {
                if (EnvAndFileDefaults.applies(o)) {
                    keys.add(EnvAndFileDefaults.key(o));
                }
            }
        }
        return keys;
    }
}
