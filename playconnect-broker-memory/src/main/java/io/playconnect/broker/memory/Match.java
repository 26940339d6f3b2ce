package io.playconnect.broker.memory;

import io.playconnect.core.spi.Message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The subscriptions one subject reaches: every plain subscription, and one member per queue group.
 * Immutable apart from each group's round-robin counter, so it is cached per subject and shared by
 * publishing threads.
 */
final class Match {
    static final Match NONE = new Match(new MemorySubscription[0], new Group[0]);
    private final MemorySubscription[] plain;
    private final Group[] groups;

    private Match(MemorySubscription[] plain, Group[] groups) {
        this.plain = plain;
        this.groups = groups;
    }

    static Match of(List<MemorySubscription> subs) {
        if (subs.isEmpty()) {
            return NONE;
        }
        List<MemorySubscription> plain = new ArrayList<>();
        Map<String, List<MemorySubscription>> grouped = new LinkedHashMap<>();
        for (MemorySubscription s : subs) {
            if (s.queueGroup == null) {
                plain.add(s);
            } else {
                grouped.computeIfAbsent(s.queueGroup, g -> new ArrayList<>()).add(s);
            }
        }
        Group[] groups = grouped.values().stream()
                .map(members -> new Group(members.toArray(new MemorySubscription[0]))).toArray(Group[]::new);
        return new Match(plain.toArray(new MemorySubscription[0]), groups);
    }

    boolean isEmpty() {
        return plain.length == 0 && groups.length == 0;
    }

    /** Delivers {@code message}; returns how many handlers were called. */
    int deliver(Message message) {
        int called = 0;
        for (MemorySubscription s : plain) {
            if (s.deliver(message)) {
                called++;
            }
        }
        for (Group g : groups) {
            if (g.deliver(message)) {
                called++;
            }
        }
        return called;
    }

    /** Members of one queue group, chosen round-robin; closed members are skipped. */
    private static final class Group {
        private final MemorySubscription[] members;
        private final AtomicInteger next = new AtomicInteger();

        Group(MemorySubscription[] members) {
            this.members = members;
        }

        boolean deliver(Message message) {
            int n = members.length;
            int start = Math.floorMod(next.getAndIncrement(), n);
            for (int k = 0; k < n; k++) {
                if (members[(start + k) % n].deliver(message)) {
                    return true;
                }
            }
            return false;
        }
    }
}
