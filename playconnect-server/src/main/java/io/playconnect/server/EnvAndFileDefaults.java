package io.playconnect.server;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Option values that were not given as flags: first the environment ({@code PLAYCONNECT_HTTP_PORT}
 * for {@code --http-port}), then the config file ({@code http-port=8081}), else the built-in
 * default. Applies to every option of {@code run}, and to {@code --token-secret} everywhere.
 * Remembers where each value came from, for error messages.
 */
final class EnvAndFileDefaults implements IDefaultValueProvider {
    static final String ENV_PREFIX = "PLAYCONNECT_";
    private static final Set<String> NEVER = Set.of("help", "version", "config");

    private final Map<String, String> env;
    private final Properties file;
    private final Path fileName;
    private final Map<String, String> sources = new ConcurrentHashMap<>();

    EnvAndFileDefaults(Map<String, String> env, Properties file, Path fileName) {
        this.env = Map.copyOf(env);
        this.file = file;
        this.fileName = fileName;
    }

    /** Reads a config file of {@code key=value} lines (java.util.Properties syntax). */
    static Properties load(Path path) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new StartupException("--config " + path + ": cannot read it (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        return p;
    }

    /** {@code http-port} becomes {@code PLAYCONNECT_HTTP_PORT}. */
    static String envName(String key) {
        return ENV_PREFIX + key.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    static boolean applies(OptionSpec option) {
        String key = key(option);
        if (NEVER.contains(key)) {
            return false;
        }
        return "run".equals(option.command().name()) || "token-secret".equals(key);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !applies(option)) {
            return null;
        }
        String key = key(option);
        String envName = envName(key);
        String fromEnv = env.get(envName);
        if (fromEnv != null && !fromEnv.isBlank()) {
            sources.put(key, "from " + envName);
            return fromEnv.trim();
        }
        String fromFile = file.getProperty(key);
        if (fromFile != null && !fromFile.isBlank()) {
            sources.put(key, "from " + fileName);
            return fromFile.trim();
        }
        return null;
    }

    /** Where the value of {@code --key} came from ({@code from PLAYCONNECT_X} or {@code from FILE}), if not a flag. */
    Optional<String> source(String key) {
        return Optional.ofNullable(sources.get(key));
    }

    /** Keys in the config file that no option has, sorted. */
    Set<String> unknownKeys(Set<String> known) {
        Set<String> unknown = new TreeSet<>(file.stringPropertyNames());
        unknown.removeAll(known);
        return unknown;
    }
}
