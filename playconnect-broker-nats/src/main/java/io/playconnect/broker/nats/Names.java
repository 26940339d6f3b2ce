package io.playconnect.broker.nats;

import io.playconnect.core.RoomId;

/**
 * Where a broker's things live on the server: subjects and buckets under the tenant prefix, the
 * room-log stream and its subjects. The tenant is one subject token without {@code _}, so that
 * {@code <tenant>_<name>} splits at the first {@code _} and two tenants never share a name.
 */
final class Names {
    private static final String LOG = "pc.log.";
    private static final String LIVE = "pc.live.";
    private final String tenant;
    private final String subjectPrefix;
    private final String stream;

    Names(String tenant, String streamName) {
        this.tenant = tenant;
        this.subjectPrefix = tenant == null ? "" : tenant + ".";
        this.stream = qualify(streamName);
    }

    /** The subject on the server for a subject of the SPI. */
    String subject(String subject) {
        return subjectPrefix + subject;
    }

    /** The SPI's subject for a subject on the server; subjects outside the tenant stay as they are. */
    String strip(String serverSubject) {
        if (serverSubject == null || subjectPrefix.isEmpty() || !serverSubject.startsWith(subjectPrefix)) {
            return serverSubject;
        }
        return serverSubject.substring(subjectPrefix.length());
    }

    /** Whether publishing to this SPI subject would write into a room log or fake a live record. */
    static boolean reserved(String subject) {
        return subject.startsWith(LOG) || subject.startsWith(LIVE);
    }

    String inboxPrefix() {
        return subject("_INBOX");
    }

    /** The JetStream stream holding every room log. */
    String stream() {
        return stream;
    }

    /** The NATS KV bucket behind a bucket of the SPI. */
    String bucket(String bucket) {
        return qualify(bucket);
    }

    String logSubject(RoomId room) {
        return subjectPrefix + LOG + room.value();
    }

    String liveSubject(RoomId room) {
        return subjectPrefix + LIVE + room.value();
    }

    String logWildcard() {
        return subjectPrefix + LOG + ">";
    }

    String liveWildcard() {
        return subjectPrefix + LIVE + ">";
    }

    String tenant() {
        return tenant;
    }

    private String qualify(String name) {
        return tenant == null ? name : tenant + "_" + name;
    }
}
