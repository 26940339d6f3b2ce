package io.playconnect.store.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * A Lua script run by its SHA-1 digest, sent in full only when Redis does not know it yet (first
 * use, or after a restart or SCRIPT FLUSH).
 */
final class LuaScript {
    private final String text;
    private final String sha;
    private final ScriptOutputType output;

    LuaScript(String text, ScriptOutputType output) {
        this.text = text;
        this.output = output;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    <T> CompletableFuture<T> run(RedisAsyncCommands<String, String> redis, String[] keys, String... args) {
        CompletableFuture<T> bySha = redis.<T>evalsha(sha, output, keys, args).toCompletableFuture();
        return bySha.handle((v, err) -> {
            if (err == null) {
                return CompletableFuture.completedFuture(v);
            }
            if (String.valueOf(rootMessage(err)).startsWith("NOSCRIPT")) {
                return redis.<T>eval(text, output, keys, args).toCompletableFuture();
            }
            return CompletableFuture.<T>failedFuture(err);
        }).thenCompose(f -> f);
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? t.getMessage() : c.getMessage();
    }
}
