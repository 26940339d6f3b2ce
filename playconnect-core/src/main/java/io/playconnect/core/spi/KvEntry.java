package io.playconnect.core.spi;

/** A value in a {@link KeyValue} bucket with its revision (increasing per bucket) and write time. */
public record KvEntry(String key, byte[] value, long revision, long createdMillis) {
}
