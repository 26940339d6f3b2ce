package io.playconnect.testkit.history;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link HistoryChecker} found. Each list is empty for a valid history.
 *
 * @param lost acknowledged events that were never delivered, or that a client following the room skipped
 * @param unexpected delivered events that nobody sent, or that clients saw differently at one position
 * @param duplicated events stored at two positions, or delivered twice to one client
 * @param reordered deliveries that went back in seq, or a sender's events stored out of its sending order
 * @param wrongAcks acknowledgements whose position holds another event (an ack nobody should have sent)
 * @param events how many distinct events (room, correlationId) were delivered
 * @param acked how many distinct events were acknowledged
 * @param deliveries how many deliveries were recorded
 */
public record CheckReport(List<Anomaly> lost, List<Anomaly> unexpected, List<Anomaly> duplicated,
                          List<Anomaly> reordered, List<Anomaly> wrongAcks, int events, int acked, long deliveries) {

    public CheckReport {
        lost = List.copyOf(lost);
        unexpected = List.copyOf(unexpected);
        duplicated = List.copyOf(duplicated);
        reordered = List.copyOf(reordered);
        wrongAcks = List.copyOf(wrongAcks);
    }

    /** True when nothing was lost, unexpected, duplicated, reordered or wrongly acknowledged. */
    public boolean valid() {
        return lost.isEmpty() && unexpected.isEmpty() && duplicated.isEmpty() && reordered.isEmpty()
                && wrongAcks.isEmpty();
    }

    /** One paragraph: the counts, then the first few anomalies of each kind. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(events).append(" events (").append(acked).append(" acknowledged), ").append(deliveries)
                .append(" deliveries: ").append(lost.size()).append(" lost, ").append(unexpected.size())
                .append(" unexpected, ").append(duplicated.size()).append(" duplicated, ").append(reordered.size())
                .append(" reordered, ").append(wrongAcks.size()).append(" wrong acks");
        List<String> samples = new ArrayList<>();
        sample("lost", lost, samples);
        sample("unexpected", unexpected, samples);
        sample("duplicated", duplicated, samples);
        sample("reordered", reordered, samples);
        sample("wrong ack", wrongAcks, samples);
        for (String s : samples) {
            b.append("\n  ").append(s);
        }
        return b.toString();
    }

    private static void sample(String kind, List<Anomaly> anomalies, List<String> into) {
        anomalies.stream().limit(5).forEach(a -> into.add(kind + ": " + a));
    }

    @Override
    public String toString() {
        return summary();
    }
}
