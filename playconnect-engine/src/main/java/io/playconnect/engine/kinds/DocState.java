package io.playconnect.engine.kinds;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The state of one {@code doc} room: the surviving writes as registers in a tree of path segments,
 * and the greatest hybrid logical clock seen. The document itself is not kept; it is materialised
 * from the registers when the state is encoded (see {@link DocRoomLogic} for the rules).
 *
 * <p>Invariant: no register has an ancestor-or-self register with a greater stamp. A new write is
 * dropped when such a register exists; otherwise it removes the older registers at and below its
 * path. The set of survivors is therefore a function of the set of writes, not of their order.
 */
public final class DocState {

    static final class Node {
        DocWrite register;
        Map<String, Node> children;
        /** Scratch for encoding: whether a set survives strictly below this node. */
        boolean setBelow;

        Node child(String segment) {
            return children == null ? null : children.get(segment);
        }

        Node childOrNew(String segment) {
            if (children == null) {
                children = new HashMap<>(4);
            }
            return children.computeIfAbsent(segment, k -> new Node());
        }

        boolean isEmpty() {
            return register == null && (children == null || children.isEmpty());
        }
    }

    /** What decide parsed, so apply of the same event skips the parse. */
    record Pending(byte[] payload, String type, String client, DocWrite write) {
    }

    final Node root = new Node();
    long hlcT;
    long hlcC;
    int registers;
    Pending pending;

    DocState() {
    }

    /** How many registers (values and tombstones) the document holds. */
    public int registerCount() {
        return registers;
    }

    /** The physical part of the greatest hybrid logical clock seen. */
    public long hlcMillis() {
        return hlcT;
    }

    /** The logical counter of the greatest hybrid logical clock seen. */
    public long hlcCounter() {
        return hlcC;
    }

    /** Applies a write; returns whether it survives (false when a newer write covers it). */
    boolean write(DocWrite w) {
        observe(w.t, w.c);
        String[] path = w.path;
        Node node = root;
        int depth = 0;
        while (true) {
            DocWrite r = node.register;
            if (r != null) {
                int cmp = r.compareTo(w);
                if (cmp > 0 || (cmp == 0 && depth == path.length)) {
                    return false;
                }
            }
            if (depth == path.length) {
                break;
            }
            Node child = node.child(path[depth]);
            if (child == null) {
                break;
            }
            node = child;
            depth++;
        }
        for (; depth < path.length; depth++) {
            node = node.childOrNew(path[depth]);
        }
        if (node.children != null) {
            dropOlder(node, w);
        }
        if (node.register == null) {
            registers++;
        }
        node.register = w;
        return true;
    }

    void observe(long t, long c) {
        if (t > hlcT || (t == hlcT && c > hlcC)) {
            hlcT = t;
            hlcC = c;
        }
    }

    /** Removes registers strictly below {@code node} older than {@code w}, pruning empty nodes. */
    private void dropOlder(Node node, DocWrite w) {
        Iterator<Node> it = node.children.values().iterator();
        while (it.hasNext()) {
            Node child = it.next();
            if (child.register != null && child.register.compareTo(w) < 0) {
                child.register = null;
                registers--;
            }
            if (child.children != null) {
                dropOlder(child, w);
            }
            if (child.isEmpty()) {
                it.remove();
            }
        }
    }
}
