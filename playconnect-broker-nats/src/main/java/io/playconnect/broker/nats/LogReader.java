package io.playconnect.broker.nats;

import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.MessageGetRequest;
import io.playconnect.broker.nats.LogEntries.Entry;
import io.playconnect.broker.nats.JetStreamRoomLog.Ends;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.LogRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a run of a room's records. Rooms interleave in the stream, so a room seq does not map to a
 * stream sequence by arithmetic; the reader finds the first stream message holding a seq at or
 * above {@code fromSeq} by a binary search over stream sequences with "next message of the subject
 * at or after" gets (about log2 of the room's stream span, each one round trip; none when the read
 * starts at the log's first record), then streams the run through a short-lived pull consumer
 * filtered on the room's subject. The result is contiguous and of one epoch: it stops at a gap
 * (records expiring during the read) or at a reset.
 */
final class LogReader {
    private static final Duration CONSUMER_IDLE = Duration.ofSeconds(30);
    private final JetStreamRoomLog log;
    private final JsApi api;
    private final Names names;
    private volatile Dispatcher dispatcher;

    LogReader(JetStreamRoomLog log, JsApi api, Names names) {
        this.log = log;
        this.api = api;
        this.names = names;
    }

    void dispatcher(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    CompletableFuture<List<LogRecord>> read(RoomId room, long fromSeq, int max) {
        return log.ends(room).thenCompose(found -> {
            if (found.isEmpty() || fromSeq > found.get().last().lastSeq()) {
                return CompletableFuture.completedFuture(List.<LogRecord>of());
            }
            Ends ends = found.get();
            Entry first = ends.first();
            long from = Math.max(fromSeq, first.firstSeq());
            String epoch = ends.last().epoch();
            CompletableFuture<Long> start = from <= first.firstSeq()
                    ? CompletableFuture.completedFuture(first.streamSeq())
                    : search(room, first.streamSeq(), ends.last().streamSeq(), from, epoch);
            return start.thenCompose(s -> fetch(room, s, from, max, epoch));
        });
    }

    /**
     * The lowest stream sequence in {@code [lo, hi]} whose next subject message holds a seq at or
     * above {@code from}; the message at {@code hi} does.
     */
    private CompletableFuture<Long> search(RoomId room, long lo, long hi, long from, String epoch) {
        if (lo >= hi) {
            return CompletableFuture.completedFuture(hi);
        }
        long mid = lo + (hi - lo) / 2;
        MessageGetRequest next = MessageGetRequest.nextForSubject(mid, names.logSubject(room));
        return log.entry(room, next).thenCompose(found -> {
            Entry e = found.orElse(null);
            if (e == null || e.lastSeq() >= from || !e.epoch().equals(epoch)) {
                return search(room, lo, mid, from, epoch);
            }
            return search(room, Math.max(mid, e.streamSeq()) + 1, hi, from, epoch);
        });
    }

    private CompletableFuture<List<LogRecord>> fetch(RoomId room, long startStreamSeq, long from, int max,
                                                     String epoch) {
        ConsumerConfiguration config = ConsumerConfiguration.builder()
                .filterSubject(names.logSubject(room))
                .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(startStreamSeq)
                .ackPolicy(AckPolicy.None).inactiveThreshold(CONSUMER_IDLE).memStorage(true)
                .build();
        // One more than asked: the run may open with the epoch marker.
        int limit = max == Integer.MAX_VALUE ? max : max + 1;
        return BatchFetch.fetch(api, dispatcher, names.stream(), config, limit)
                .thenApply(messages -> contiguous(room, messages, from, max, epoch));
    }

    private static List<LogRecord> contiguous(RoomId room, List<Message> messages, long from, int max, String epoch) {
        List<LogRecord> out = new ArrayList<>(Math.min(max, messages.size()));
        long expected = -1;
        for (Message m : messages) {
            Entry e = LogEntries.parse(room, m.getHeaders(), m.getData(), m.metaData().streamSequence());
            if (e == null || e.seqBelow(from)) {
                continue;
            }
            if (e.isMarker() || !e.epoch().equals(epoch) || (expected >= 0 && e.firstSeq() != expected)) {
                if (out.isEmpty() && e.isMarker() && e.epoch().equals(epoch)) {
                    continue;
                }
                break;
            }
            out.add(e.record());
            expected = e.lastSeq() + 1;
            if (out.size() == max) {
                break;
            }
        }
        return out;
    }
}
