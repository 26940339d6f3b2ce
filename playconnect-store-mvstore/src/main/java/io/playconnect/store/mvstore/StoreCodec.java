package io.playconnect.store.mvstore;

import io.playconnect.core.RoomId;
import io.playconnect.core.spi.KvEntry;
import io.playconnect.core.spi.LogRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * How records, log heads and key-value entries are laid out as MVStore values. Each value starts
 * with a format byte, so a later version can read what an earlier one wrote. Record keys are
 * {@code <room>/<seq as 16 hex digits>}: a room id never contains {@code /}, and fixed-width hex
 * sorts by seq, so one room's records are one contiguous key range.
 */
final class StoreCodec {
    static final byte FORMAT = 1;
    private static final char SEPARATOR = '/';

    /** A room log's head as stored: its epoch, first and last seq. */
    record Head(String epoch, long first, long last) {
    }

    /** A stored record and when the store took it (for age retention). */
    record Stored(LogRecord record, long storedAt) {
    }

    /** A bucket's settings and last revision. */
    record BucketMeta(int maxValueSize, long revision) {
    }

    private StoreCodec() {
    }

    static String recordKey(RoomId room, long seq) {
        String hex = Long.toHexString(seq);
        StringBuilder b = new StringBuilder(room.value().length() + 17).append(room.value()).append(SEPARATOR);
        for (int i = hex.length(); i < 16; i++) {
            b.append('0');
        }
        return b.append(hex).toString();
    }

    static long seqOf(String key) {
        return Long.parseUnsignedLong(key, key.length() - 16, key.length(), 16);
    }

    static byte[] encodeRecord(LogRecord r, long storedAt) {
        return write(out -> {
            out.writeLong(storedAt);
            out.writeLong(r.timestamp());
            out.writeUTF(r.epoch());
            out.writeShort(r.headers().size());
            for (Map.Entry<String, String> h : r.headers().entrySet()) {
                out.writeUTF(h.getKey());
                out.writeUTF(h.getValue());
            }
            out.writeInt(r.data().length);
            out.write(r.data());
        });
    }

    static Stored decodeRecord(RoomId room, String key, byte[] value) {
        return read(value, in -> {
            long storedAt = in.readLong();
            long ts = in.readLong();
            String epoch = in.readUTF();
            int headers = in.readUnsignedShort();
            Map<String, String> h = headers == 0 ? Map.of() : new HashMap<>(headers * 2);
            for (int i = 0; i < headers; i++) {
                h.put(in.readUTF(), in.readUTF());
            }
            byte[] data = new byte[in.readInt()];
            in.readFully(data);
            return new Stored(new LogRecord(room, epoch, seqOf(key), ts, data, headers == 0 ? h : Map.copyOf(h)),
                    storedAt);
        });
    }

    static byte[] encodeHead(Head head) {
        return write(out -> {
            out.writeUTF(head.epoch());
            out.writeLong(head.first());
            out.writeLong(head.last());
        });
    }

    static Head decodeHead(byte[] value) {
        return read(value, in -> new Head(in.readUTF(), in.readLong(), in.readLong()));
    }

    static byte[] encodeEntry(long revision, long createdMillis, byte[] data) {
        return write(out -> {
            out.writeLong(revision);
            out.writeLong(createdMillis);
            out.writeInt(data.length);
            out.write(data);
        });
    }

    static KvEntry decodeEntry(String key, byte[] value) {
        return read(value, in -> {
            long revision = in.readLong();
            long created = in.readLong();
            byte[] data = new byte[in.readInt()];
            in.readFully(data);
            return new KvEntry(key, data, revision, created);
        });
    }

    static byte[] encodeBucket(BucketMeta meta) {
        return write(out -> {
            out.writeInt(meta.maxValueSize());
            out.writeLong(meta.revision());
        });
    }

    static BucketMeta decodeBucket(byte[] value) {
        return read(value, in -> new BucketMeta(in.readInt(), in.readLong()));
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] value, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalStateException("stored value has format " + format + "; this build reads " + FORMAT);
            }
            return r.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("stored value is truncated", e);
        }
    }
}
