package io.playconnect.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.playconnect.core.spi.BrokerException;
import io.playconnect.core.spi.BrokerException.Reason;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * What the Redis stores share: the client (their own, or one the caller passes and keeps), the key
 * prefix and the command timeout, and how Redis failures become {@link BrokerException}s.
 */
final class RedisConnection {
    static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private RedisConnection() {
    }

    static String checkPrefix(String keyPrefix) {
        if (keyPrefix == null || !PREFIX.matcher(keyPrefix).matches()) {
            throw new IllegalArgumentException("keyPrefix must match " + PREFIX + ": " + keyPrefix);
        }
        return keyPrefix;
    }

    static String checkUri(String uri) {
        Objects.requireNonNull(uri, "uri");
        try {
            RedisURI.create(uri);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("uri is not a Redis URI: " + uri, e);
        }
        return uri;
    }

    static Duration checkPositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    /** A client of our own, whose commands fail after {@code timeout}. */
    static RedisClient newClient(String uri, Duration timeout) {
        RedisClient client = RedisClient.create(RedisURI.create(uri));
        client.setOptions(ClientOptions.builder().timeoutOptions(TimeoutOptions.enabled(timeout)).build());
        return client;
    }

    /** Keys of a store: {@code {prefix}:<area>:...}; the hash tag keeps a prefix in one cluster slot. */
    static String keyBase(String keyPrefix, String area) {
        return "{" + keyPrefix + "}:" + area + ":";
    }

    static Throwable map(Throwable t, String what) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof BrokerException || c instanceof IllegalArgumentException
                || c instanceof NullPointerException) {
            return c;
        }
        if (c instanceof RedisCommandTimeoutException) {
            return new BrokerException(Reason.TIMEOUT, what + ": Redis did not answer in time", c);
        }
        if (c instanceof RedisConnectionException || c instanceof RedisException) {
            return new BrokerException(Reason.UNAVAILABLE, what + ": " + c.getMessage(), c);
        }
        return c;
    }

    static BrokerException unreachable(String uri, Throwable cause) {
        return new BrokerException(Reason.UNAVAILABLE, "cannot connect to Redis at " + uri + ": "
                + cause.getMessage(), cause);
    }
}
