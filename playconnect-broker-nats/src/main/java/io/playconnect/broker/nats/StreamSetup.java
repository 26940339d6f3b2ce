package io.playconnect.broker.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.Republish;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.playconnect.core.spi.RoomLogConfig;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates the room-log stream, or checks that an existing one has the settings this broker relies
 * on. A stream made with other settings is not changed behind the operator's back: the broker
 * refuses to start and names each difference.
 */
final class StreamSetup {
    private StreamSetup() {
    }

    static StreamConfiguration desired(Names names, JetStreamBrokerOptions options) {
        RoomLogConfig log = options.roomLogConfig();
        Duration window = options.duplicateWindow().compareTo(log.maxAge()) > 0
                ? log.maxAge() : options.duplicateWindow();
        return StreamConfiguration.builder()
                .name(names.stream())
                .description("PlayConnect room logs: one subject per room")
                .subjects(names.logWildcard())
                .storageType(options.storageType())
                .replicas(options.replicas())
                .maxMessagesPerSubject(log.maxRecordsPerRoom())
                .maxAge(log.maxAge())
                .duplicateWindow(window)
                .discardPolicy(DiscardPolicy.Old)
                .allowRollup(true)
                .denyDelete(true)
                .republish(Republish.builder().source(names.logWildcard()).destination(names.liveWildcard()).build())
                .build();
    }

    /** Creates the stream when it is missing; fails when an existing one differs from {@code want}. */
    static void ensure(JetStreamManagement jsm, StreamConfiguration want) throws IOException, JetStreamApiException {
        StreamInfo existing;
        try {
            existing = jsm.getStreamInfo(want.getName());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != Errors.STREAM_NOT_FOUND) {
                throw e;
            }
            existing = create(jsm, want);
        }
        List<String> differences = differences(want, existing.getConfiguration());
        if (!differences.isEmpty()) {
            throw new IllegalStateException("stream " + want.getName() + " exists with other settings than this "
                    + "broker's (change the stream or the options): " + String.join("; ", differences));
        }
    }

    private static StreamInfo create(JetStreamManagement jsm, StreamConfiguration want)
            throws IOException, JetStreamApiException {
        try {
            return jsm.addStream(want);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != Errors.STREAM_NAME_IN_USE) {
                throw e;
            }
            // Another process created it meanwhile.
            return jsm.getStreamInfo(want.getName());
        }
    }

    static List<String> differences(StreamConfiguration want, StreamConfiguration have) {
        List<String> out = new ArrayList<>();
        check(out, "subjects", want.getSubjects(), have.getSubjects());
        check(out, "storage", want.getStorageType(), have.getStorageType());
        check(out, "replicas", want.getReplicas(), have.getReplicas());
        check(out, "max messages per subject", want.getMaxMsgsPerSubject(), have.getMaxMsgsPerSubject());
        check(out, "max age", want.getMaxAge(), have.getMaxAge());
        check(out, "duplicate window", want.getDuplicateWindow(), have.getDuplicateWindow());
        check(out, "discard policy", want.getDiscardPolicy(), have.getDiscardPolicy());
        check(out, "allow rollup", want.getAllowRollup(), have.getAllowRollup());
        check(out, "republish", republish(want.getRepublish()), republish(have.getRepublish()));
        return out;
    }

    private static String republish(Republish r) {
        if (r == null) {
            return "none";
        }
        return r.getSource() + " -> " + r.getDestination() + (r.isHeadersOnly() ? " (headers only)" : "");
    }

    private static void check(List<String> out, String name, Object want, Object have) {
        if (!Objects.equals(want, have)) {
            out.add(name + " is " + have + ", expected " + want);
        }
    }
}
