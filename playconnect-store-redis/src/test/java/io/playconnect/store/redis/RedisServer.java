package io.playconnect.store.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import io.playconnect.testkit.Prerequisites;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;



/**
 * The Redis the tests talk to (PLAYCONNECT_REDIS_URL, or the system property playconnect.redis.url,
 * default redis://127.0.0.1:6379), and key prefixes that keep each test's keys apart on a shared
 * server and are deleted afterwards.
 */
final class RedisServer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> admin;
    private final List<String> prefixes = new ArrayList<>();

    private RedisServer(RedisClient client, StatefulRedisConnection<String, String> admin) {
        this.client = client;
        this.admin = admin;
    }

    static String uri() {
        String uri = System.getProperty("playconnect.redis.url");
        if (uri == null || uri.isBlank()) {
            uri = System.getenv("PLAYCONNECT_REDIS_URL");
        }
        return uri == null || uri.isBlank() ? RedisConnection.DEFAULT_URI : uri;
    }

    /** Connects; when Redis is not reachable the test fails under CI=true and is skipped otherwise. */
    static RedisServer require() {
        RedisURI target = RedisURI.create(uri());
        target.setTimeout(Duration.ofSeconds(2));
        RedisClient client = RedisClient.create();
        try {
            return new RedisServer(client, client.connect(target));
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw Prerequisites.missing("Redis not reachable at " + uri() + " (" + e + ")");
        }
    }

    /** A fresh key prefix, whose keys {@link #deleteKeys()} removes. */
    synchronized String newPrefix() {
        byte[] b = new byte[5];
        RANDOM.nextBytes(b);
        String prefix = "pctest-" + HexFormat.of().formatHex(b);
        prefixes.add(prefix);
        return prefix;
    }

    RedisCommands<String, String> commands() {
        return admin.sync();
    }

    /** Keys under a prefix. */
    List<String> keys(String prefix) {
        List<String> out = new ArrayList<>();
        ScanArgs match = ScanArgs.Builder.matches("{" + prefix + "}*").limit(500);
        KeyScanCursor<String> cursor = commands().scan(match);
        out.addAll(cursor.getKeys());
        while (!cursor.isFinished()) {
            cursor = commands().scan(ScanCursor.of(cursor.getCursor()), match);
            out.addAll(cursor.getKeys());
        }
        return out;
    }

    synchronized void deleteKeys() {
        for (String prefix : prefixes) {
            List<String> keys = keys(prefix);
            if (!keys.isEmpty()) {
                commands().del(keys.toArray(new String[0]));
            }
        }
        prefixes.clear();
    }

    @Override
    public void close() {
        try {
            deleteKeys();
        } finally {
            admin.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
