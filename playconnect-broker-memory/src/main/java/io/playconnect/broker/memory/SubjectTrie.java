package io.playconnect.broker.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Subscriptions indexed by their tokens, with a cache of what each published subject matches.
 *
 * <p>Publishing reads without locks: a cache hit is one hash lookup; a miss walks the trie (one
 * lookup per token, plus the {@code *} and {@code >} branches) and caches the result. Subscribing
 * and unsubscribing are rare next to publishing; they take a lock, change the trie and then drop the
 * whole cache by swapping in an empty map. A publisher that computed a match from the old trie may
 * still put it into the old map, which nobody reads any more, so no stale match is ever cached.
 */
final class SubjectTrie {
    private static final MemorySubscription[] NO_SUBS = new MemorySubscription[0];
    private final Node root = new Node();
    private final int cacheLimit;
    private volatile ConcurrentHashMap<String, Match> cache = new ConcurrentHashMap<>();

    SubjectTrie(int cacheLimit) {
        this.cacheLimit = cacheLimit;
    }

    /** What {@code subject} reaches; throws {@link IllegalArgumentException} for a bad subject. */
    Match match(String subject) {
        ConcurrentHashMap<String, Match> c = cache;
        Match m = c.get(subject);
        if (m != null) {
            return m;
        }
        m = compute(SubjectSyntax.subjectTokens(subject));
        if (c.size() >= cacheLimit) {
            // Many distinct subjects: start over rather than track recency on every hit.
            cache = new ConcurrentHashMap<>();
        } else {
            c.put(subject, m);
        }
        return m;
    }

    /** What {@code subject} reaches, without caching; for one-off subjects such as inboxes. */
    Match matchUncached(String subject) {
        return compute(SubjectSyntax.subjectTokens(subject));
    }

    private Match compute(String[] tokens) {
        List<MemorySubscription> found = new ArrayList<>(4);
        collect(root, tokens, 0, found);
        return Match.of(found);
    }

    private static void collect(Node node, String[] tokens, int i, List<MemorySubscription> out) {
        if (i == tokens.length) {
            out.addAll(Arrays.asList(node.here));
            return;
        }
        out.addAll(Arrays.asList(node.rest));
        Node literal = node.children.get(tokens[i]);
        if (literal != null) {
            collect(literal, tokens, i + 1, out);
        }
        Node star = node.star;
        if (star != null) {
            collect(star, tokens, i + 1, out);
        }
    }

    synchronized void add(MemorySubscription sub) {
        Node node = root;
        String[] tokens = sub.tokens;
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.equals(SubjectSyntax.REST)) {
                node.rest = append(node.rest, sub);
                invalidate();
                return;
            }
            node = node.child(t);
        }
        node.here = append(node.here, sub);
        invalidate();
    }

    synchronized void remove(MemorySubscription sub) {
        removeBelow(root, sub, 0);
        invalidate();
    }

    /** Removes {@code sub} under {@code node}; returns whether {@code node} became empty. */
    private static boolean removeBelow(Node node, MemorySubscription sub, int i) {
        String[] tokens = sub.tokens;
        if (i == tokens.length) {
            node.here = without(node.here, sub);
        } else if (tokens[i].equals(SubjectSyntax.REST)) {
            node.rest = without(node.rest, sub);
        } else if (tokens[i].equals(SubjectSyntax.ONE)) {
            Node star = node.star;
            if (star != null && removeBelow(star, sub, i + 1)) {
                node.star = null;
            }
        } else {
            Node child = node.children.get(tokens[i]);
            if (child != null && removeBelow(child, sub, i + 1)) {
                node.children.remove(tokens[i]);
            }
        }
        return node.isEmpty();
    }

    /** Drops every subscription; for the broker's close. */
    synchronized List<MemorySubscription> clear() {
        List<MemorySubscription> all = new ArrayList<>();
        gather(root, all);
        root.children.clear();
        root.star = null;
        root.here = NO_SUBS;
        root.rest = NO_SUBS;
        invalidate();
        return all;
    }

    private static void gather(Node node, List<MemorySubscription> out) {
        out.addAll(Arrays.asList(node.here));
        out.addAll(Arrays.asList(node.rest));
        node.children.values().forEach(c -> gather(c, out));
        if (node.star != null) {
            gather(node.star, out);
        }
    }

    private void invalidate() {
        cache = new ConcurrentHashMap<>();
    }

    int cachedSubjects() {
        return cache.size();
    }

    private static MemorySubscription[] append(MemorySubscription[] subs, MemorySubscription sub) {
        MemorySubscription[] copy = Arrays.copyOf(subs, subs.length + 1);
        copy[subs.length] = sub;
        return copy;
    }

    private static MemorySubscription[] without(MemorySubscription[] subs, MemorySubscription sub) {
        int at = Arrays.asList(subs).indexOf(sub);
        if (at < 0) {
            return subs;
        }
        if (subs.length == 1) {
            return NO_SUBS;
        }
        MemorySubscription[] copy = new MemorySubscription[subs.length - 1];
        System.arraycopy(subs, 0, copy, 0, at);
        System.arraycopy(subs, at + 1, copy, at, subs.length - at - 1);
        return copy;
    }

    /** One token position. Arrays are replaced, never changed, so readers need no lock. */
    private static final class Node {
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>(2);
        volatile Node star;
        /** Subscriptions whose pattern ends at this node. */
        volatile MemorySubscription[] here = NO_SUBS;
        /** Subscriptions whose pattern ends with {@code >} right after this node. */
        volatile MemorySubscription[] rest = NO_SUBS;

        Node child(String token) {
            if (token.equals(SubjectSyntax.ONE)) {
                Node s = star;
                if (s == null) {
                    s = new Node();
                    star = s;
                }
                return s;
            }
            return children.computeIfAbsent(token, t -> new Node());
        }

        boolean isEmpty() {
            return here.length == 0 && rest.length == 0 && star == null && children.isEmpty();
        }
    }
}
