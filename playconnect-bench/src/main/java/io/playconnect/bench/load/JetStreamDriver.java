package io.playconnect.bench.load;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.api.Republish;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The peer of the command benchmark: plain JetStream, no PlayConnect. A publish is a JetStream
 * publish to {@code bench.log.<room>} in a stream with file storage (one replica) whose RePublish
 * copies every stored message to {@code bench.live.<room>}; subscribers are core NATS
 * subscriptions on the live subject, so, as in PlayConnect, only stored messages are delivered.
 * A publish completes with the stream sequence of its PubAck. What this leaves out, and PlayConnect
 * does, is the gateway, the request to the engine, the engine's work, the fence header and the ack
 * back to the client.
 *
 * <p>Clients share a small pool of NATS connections (one dispatcher thread each), so that 400
 * subscribers do not cost the load generator 400 connections' threads; the server still sends
 * every subscription its own copy.
 */
public final class JetStreamDriver implements ProtocolDriver {
    static final String STREAM = "PC_BENCH_PEER";
    private static final String LOG = "bench.log.";
    private static final String LIVE = "bench.live.";

    private final List<Connection> pool = new ArrayList<>();
    private final List<Dispatcher> dispatchers = new ArrayList<>();
    private final List<JetStream> jetStreams = new ArrayList<>();
    private final ExecutorService connecting = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "load-js-connect");
        t.setDaemon(true);
        return t;
    });

    /** @param uri {@code nats://host:port}; the stream is created afresh (an older one is deleted). */
    public JetStreamDriver(URI uri, int connections) {
        Objects.requireNonNull(uri, "uri");
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be >= 1: " + connections);
        }
        try {
            for (int i = 0; i < connections; i++) {
                Connection c = Nats.connect(Options.builder().server(uri.toString()).connectionName("bench-peer-" + i)
                        .maxReconnects(0).build());
                pool.add(c);
                dispatchers.add(c.createDispatcher());
                jetStreams.add(c.jetStream());
            }
            createStream(pool.get(0).jetStreamManagement());
        } catch (IOException | JetStreamApiException e) {
            close();
            throw new IllegalStateException("cannot set up the JetStream peer at " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void createStream(JetStreamManagement jsm) throws IOException, JetStreamApiException {
        if (jsm.getStreamNames().contains(STREAM)) {
            jsm.deleteStream(STREAM);
        }
        jsm.addStream(StreamConfiguration.builder().name(STREAM).subjects(LOG + ">").storageType(StorageType.File)
                .replicas(1).maxMessagesPerSubject(10_000).duplicateWindow(Duration.ofMinutes(2))
                .republish(Republish.builder().source(LOG + ">").destination(LIVE + ">").build()).build());
    }

    @Override
    public String name() {
        return "jetstream";
    }

    @Override
    public boolean resumes() {
        return false;
    }

    @Override
    public CompletableFuture<ClientConnection> connect(ClientSpec spec, ClientListener listener) {
        int slot = spec.index() % pool.size();
        return CompletableFuture.supplyAsync(() -> {
            Client c = new Client(spec, slot);
            for (String room : spec.rooms()) {
                c.subscriptions.add(dispatchers.get(slot).subscribe(LIVE + room, m -> {
                    ByteBuf data = Unpooled.wrappedBuffer(m.getData());
                    int to = data.writerIndex();
                    listener.onMessage(spec.index(), room, Payloads.number(data, 0, to), Payloads.sentNanos(data, 0, to));
                }));
            }
            try {
                pool.get(slot).flush(Duration.ofSeconds(10));
            } catch (Exception e) {
                throw new IllegalStateException("subscribing failed: " + e, e);
            }
            return c;
        }, connecting);
    }

    @Override
    public void close() {
        connecting.shutdownNow();
        for (Connection c : pool) {
            try {
                c.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final class Client implements ClientConnection {
        private final ClientSpec spec;
        private final int slot;
        private final List<Subscription> subscriptions = new ArrayList<>();
        private volatile boolean open = true;

        Client(ClientSpec spec, int slot) {
            this.spec = spec;
            this.slot = slot;
        }

        @Override
        public int index() {
            return spec.index();
        }

        @Override
        public CompletableFuture<Long> publish(String room, byte[] payload) {
            return jetStreams.get(slot).publishAsync(LOG + room, payload).thenApply(ack -> ack.getSeqno());
        }

        @Override
        public CompletableFuture<Void> drop() {
            open = false;
            subscriptions.forEach(s -> dispatchers.get(slot).unsubscribe(s));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }
}
