package io.playconnect.bench.load;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarises a flight recording's CPU samples ({@code jdk.ExecutionSample}, what
 * {@code jfr print --events jdk.ExecutionSample} lists) by top frame, and by the first frame of
 * PlayConnect's own code on each stack, which says which part of the server the time belongs to.
 */
final class JfrSummary {
    private static final String OWN_CODE = "io.playconnect.";

    private JfrSummary() {
    }

    static void print(Path recording, int top, PrintStream out) throws IOException {
        Map<String, Integer> topFrames = new HashMap<>();
        Map<String, Integer> ownFrames = new HashMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                topFrames.merge(name(frames.get(0)), 1, Integer::sum);
                ownFrames.merge(frames.stream().map(JfrSummary::name).filter(n -> n.startsWith(OWN_CODE))
                        .findFirst().orElse("(no io.playconnect frame)"), 1, Integer::sum);
            }
        }
        out.printf("%d execution samples in %s%n", samples, recording.getFileName());
        table(out, "top frames", topFrames, samples, top);
        table(out, "first io.playconnect frame on the stack", ownFrames, samples, top);
    }

    private static void table(PrintStream out, String title, Map<String, Integer> counts, int samples, int top) {
        out.printf("%n%s%n", title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.printf("  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / Math.max(1, samples),
                        e.getValue(), e.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
