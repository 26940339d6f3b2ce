package io.playconnect.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** A thread-safe list that callbacks add to and tests wait on. */
final class Recorder<T> {
    private final List<T> items = new ArrayList<>();

    synchronized void add(T item) {
        items.add(item);
    }

    synchronized List<T> snapshot() {
        return List.copyOf(items);
    }

    synchronized int size() {
        return items.size();
    }

    /** Waits until at least {@code n} items arrived; returns them all. */
    List<T> awaitSize(int n) {
        ContractSupport.eventually().until(() -> size() >= n);
        return snapshot();
    }

    /** Waits until an item matching {@code p} arrived; returns them all. */
    List<T> awaitAny(Predicate<? super T> p) {
        ContractSupport.eventually().until(() -> snapshot().stream().anyMatch(p));
        List<T> all = snapshot();
        assertThat(all).anyMatch(p);
        return all;
    }
}
