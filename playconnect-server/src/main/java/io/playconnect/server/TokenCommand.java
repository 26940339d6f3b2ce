package io.playconnect.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code playconnect token}: prints a development JWT in the format {@link JwtMinter} documents. */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = "Print a development token (HS256 JWT) granting scopes in rooms.",
        footer = {"", "Example: playconnect token --sub alice --room 'game.*' --room chat.lobby --scope subscribe,publish",
                "The secret may also come from PLAYCONNECT_TOKEN_SECRET or token-secret= in the --config file."})
final class TokenCommand implements Callable<Integer> {
    private final PlayConnectCommand.Context context;

    @Spec
    CommandSpec spec;

    @Option(names = "--sub", paramLabel = "USER", converter = Converters.Subject.class,
            description = "The user the token is for (the JWT subject).")
    String subject;

    @Option(names = "--room", paramLabel = "PATTERN", converter = Converters.RoomPattern.class,
            description = "A room or room pattern: game.42, game.* or *. Repeat for more rooms.")
    List<String> rooms;

    @Option(names = "--scope", paramLabel = "SCOPE", split = ",", converter = Converters.ScopeName.class,
            description = "Scopes granted in every --room: subscribe, publish, presence (default: all three).")
    List<String> scopes;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = Converters.Ttl.class, defaultValue = "1h",
            description = "How long the token is valid: 90s, 15m, 1h, 7d (default: 1h).")
    Duration ttl;

    @Option(names = "--token-secret", paramLabel = "SECRET", converter = Converters.Secret.class,
            description = "The HS256 secret the server verifies with, at least 32 bytes.")
    String tokenSecret;

    @Option(names = "--config", paramLabel = "FILE", description = "A key=value file; only token-secret is read.")
    Path config;

    TokenCommand(PlayConnectCommand.Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        require(subject, "--sub is required");
        require(rooms, "--room is required (at least one)");
        require(tokenSecret, "--token-secret is required (or PLAYCONNECT_TOKEN_SECRET)");
        List<String> granted = scopes == null || scopes.isEmpty() ? JwtMinter.SCOPES : List.copyOf(new LinkedHashSet<>(scopes));
        Map<String, List<String>> grants = new LinkedHashMap<>();
        for (String room : rooms) {
            Set<String> merged = new LinkedHashSet<>(grants.getOrDefault(room, List.of()));
            merged.addAll(granted);
            grants.put(room, List.copyOf(merged));
        }
        context.out().println(new JwtMinter(tokenSecret).mint(subject, grants, ttl));
        context.out().flush();
        return 0;
    }

    private void require(Object value, String message) {
        if (value == null) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }
}
