package io.playconnect.store.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.playconnect.core.RoomId;
import io.playconnect.core.spi.Member;
import io.playconnect.core.spi.PresenceStore.PresenceListener;
import io.playconnect.core.spi.Subscription;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listeners of each room's event channel on one pub/sub connection: the channel is subscribed
 * while it has a listener. Messages arrive on Lettuce's event loop, in the order Redis published
 * them, and go to each listener of the room in turn.
 */
final class PresenceChannels extends RedisPubSubAdapter<String, String> {
    private static final System.Logger LOG = System.getLogger(PresenceChannels.class.getName());
    private final StatefulRedisPubSubConnection<String, String> pubsub;
    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();

    /** One room's channel: its listeners and the Redis subscription they wait for. */
    private static final class Channel {
        final RoomId room;
        volatile Listener[] listeners = new Listener[0];
        CompletableFuture<Void> subscribed;

        Channel(RoomId room) {
            this.room = room;
        }
    }

    PresenceChannels(StatefulRedisPubSubConnection<String, String> pubsub) {
        this.pubsub = pubsub;
        pubsub.addListener(this);
    }

    long failures() {
        return failures.get();
    }

    /** A listener just added, and the Redis subscription of its channel, confirmed or not yet. */
    record Added(Listener listener, CompletableFuture<Void> subscribed) {
    }

    synchronized Added add(String channel, RoomId room, PresenceListener listener) {
        Channel c = channels.get(channel);
        if (c == null) {
            c = new Channel(room);
            c.subscribed = pubsub.async().subscribe(channel).toCompletableFuture();
            channels.put(channel, c);
        }
        Listener l = new Listener(channel, listener);
        Listener[] copy = Arrays.copyOf(c.listeners, c.listeners.length + 1);
        copy[copy.length - 1] = l;
        c.listeners = copy;
        return new Added(l, c.subscribed);
    }

    private synchronized void remove(Listener l) {
        Channel c = channels.get(l.channel);
        if (c == null) {
            return;
        }
        c.listeners = Arrays.stream(c.listeners).filter(x -> x != l).toArray(Listener[]::new);
        if (c.listeners.length == 0) {
            channels.remove(l.channel);
            pubsub.async().unsubscribe(l.channel);
        }
    }

    @Override
    public void message(String channel, String message) {
        Channel c = channels.get(channel);
        if (c == null || message.isEmpty()) {
            return;
        }
        boolean joined = message.charAt(0) == 'J';
        Member member;
        try {
            member = MemberCodec.decode(message.substring(1));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ignoring a malformed presence message on " + channel, e);
            return;
        }
        for (Listener l : c.listeners) {
            l.deliver(c.room, member, joined);
        }
    }

    /** One listener; closing it stops delivery at once. */
    final class Listener implements Subscription {
        private final String channel;
        private final PresenceListener listener;
        private volatile boolean closed;

        Listener(String channel, PresenceListener listener) {
            this.channel = channel;
            this.listener = listener;
        }

        void deliver(RoomId room, Member member, boolean joined) {
            if (closed) {
                return;
            }
            try {
                if (joined) {
                    listener.onJoin(room, member);
                } else {
                    listener.onLeave(room, member);
                }
            } catch (Throwable t) {
                failures.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "presence listener of room " + room + " failed", t);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                remove(this);
            }
        }
    }
}
