package io.playconnect.broker.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.playconnect.core.spi.RoomLogConfig;

import io.playconnect.testkit.Prerequisites;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;



/**
 * The NATS server the tests talk to (PLAYCONNECT_NATS_URL, or the system property
 * playconnect.nats.url, default nats://127.0.0.1:4222), and tenants that keep each test's streams
 * and buckets apart on a shared server and delete them afterwards.
 */
final class NatsServer implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Connection admin;
    private final List<String> tenants = new ArrayList<>();

    private NatsServer(Connection admin) {
        this.admin = admin;
    }

    static String url() {
        String url = System.getProperty("playconnect.nats.url");
        if (url == null || url.isBlank()) {
            url = System.getenv("PLAYCONNECT_NATS_URL");
        }
        return url == null || url.isBlank() ? JetStreamBrokerOptions.DEFAULT_URL : url;
    }

    /**
     * Connects to the server. When it is not reachable the test fails under CI=true and is skipped
     * otherwise, with the reason named.
     */
    static NatsServer require() {
        try {
            return new NatsServer(Nats.connect(new Options.Builder().server(url())
                    .connectionTimeout(Duration.ofSeconds(2)).maxReconnects(0).build()));
        } catch (Exception e) {
            throw Prerequisites.missing("NATS server with JetStream not reachable at " + url() + " (" + e + ")");
        }
    }

    /** A fresh tenant, deleted with everything in it by {@link #deleteTenants()}. */
    synchronized String newTenant() {
        byte[] b = new byte[5];
        RANDOM.nextBytes(b);
        String tenant = "t" + HexFormat.of().formatHex(b);
        tenants.add(tenant);
        return tenant;
    }

    JetStreamBrokerOptions.Builder options(String tenant, RoomLogConfig logConfig) {
        return JetStreamBrokerOptions.newBuilder().url(url()).tenant(tenant).roomLogConfig(logConfig)
                .requestTimeout(Duration.ofSeconds(10));
    }

    /** A broker in a tenant of its own. */
    JetStreamBroker broker(RoomLogConfig logConfig) {
        return JetStreamBroker.connect(options(newTenant(), logConfig).build());
    }

    JetStreamManagement jsm() {
        try {
            return admin.jetStreamManagement();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Connection connection() {
        return admin;
    }

    /** Deletes every stream and bucket of the tenants handed out so far. */
    synchronized void deleteTenants() throws Exception {
        JetStreamManagement jsm = jsm();
        for (String stream : jsm.getStreamNames()) {
            for (String tenant : tenants) {
                if (stream.startsWith(tenant + "_") || stream.startsWith("KV_" + tenant + "_")) {
                    jsm.deleteStream(stream);
                }
            }
        }
        tenants.clear();
    }

    @Override
    public void close() throws Exception {
        try {
            deleteTenants();
        } finally {
            admin.close();
        }
    }
}
