package io.playconnect.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server process from outside: CPU time and RSS from {@code /proc/<pid>}, and for a JVM
 * its live heap and native memory through {@code jcmd} (a full GC first, then the heap report and
 * the Native Memory Tracking summary, which needs {@code -XX:NativeMemoryTracking=summary}).
 */
final class ServerProbe {
    /** Linux's USER_HZ: /proc reports CPU time in these ticks. */
    private static final long TICKS_PER_SECOND = 100;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+)");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");

    private final long pid;
    private final boolean jvm;

    private ServerProbe(long pid, boolean jvm) {
        this.pid = pid;
        this.jvm = jvm;
    }

    /** A probe of process {@code pid}; {@code jvm} enables the jcmd reports. A pid of 0 or less probes nothing. */
    static ServerProbe of(long pid, boolean jvm) {
        return new ServerProbe(pid, jvm);
    }

    /** A probe of this process (the load generator), for its own CPU time. */
    static ServerProbe self() {
        return new ServerProbe(ProcessHandle.current().pid(), false);
    }

    boolean present() {
        return pid > 0;
    }

    /** The probed process, or -1 without one. */
    long pid() {
        return present() ? pid : -1;
    }

    boolean jvm() {
        return jvm && present();
    }

    /** CPU time of all the process's threads, user and system, in milliseconds. */
    record Cpu(long userMs, long systemMs) {
        long totalMs() {
            return userMs + systemMs;
        }
    }

    /** CPU time so far, or null without a process. */
    Cpu cpu() {
        if (!present()) {
            return null;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may contain spaces: fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new Cpu(Long.parseLong(f[11]) * 1000 / TICKS_PER_SECOND, Long.parseLong(f[12]) * 1000 / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Starts a flight recording (CPU samples every 10 ms) in a JVM server; false when there is none. */
    boolean startProfile() {
        if (!jvm()) {
            return false;
        }
        jcmd("JFR.start", "name=loadgen", "settings=profile");
        return true;
    }

    /** Stops the recording into {@code file} and returns its summary by top frames, or "" without one. */
    String stopProfile(Path file) {
        if (!jvm()) {
            return "";
        }
        jcmd("JFR.stop", "name=loadgen", "filename=" + file.toAbsolutePath());
        if (!Files.exists(file)) {
            return "";
        }
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream out = new java.io.PrintStream(text, true, StandardCharsets.UTF_8)) {
            JfrSummary.print(file, 25, out);
        } catch (IOException e) {
            return "could not read " + file + ": " + e;
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    /** Resident set size in KiB, or -1. */
    long rssKb() {
        if (!present()) {
            return -1;
        }
        try {
            Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The JVM's memory after a full GC: live heap and native memory (committed, heap excluded). */
    record JvmMemory(long heapUsedKb, long nativeCommittedKb) {
        long totalKb() {
            return heapUsedKb + nativeCommittedKb;
        }
    }

    /** Null when this is not a JVM probe or jcmd failed. */
    JvmMemory jvmMemory() {
        if (!jvm()) {
            return null;
        }
        jcmd("GC.run");
        Matcher heap = HEAP_USED.matcher(jcmd("GC.heap_info"));
        String nmt = jcmd("VM.native_memory", "summary");
        Matcher total = NMT_TOTAL.matcher(nmt);
        Matcher javaHeap = NMT_HEAP.matcher(nmt);
        if (!heap.find() || !total.find() || !javaHeap.find()) {
            return null;
        }
        long nativeKb = Long.parseLong(total.group(2)) - Long.parseLong(javaHeap.group(2));
        return new JvmMemory(Long.parseLong(heap.group(1)), nativeKb);
    }

    /**
     * Live objects by class after a full GC ({@code jcmd GC.class_histogram}): class name to
     * {instances, bytes}. Empty when this is not a JVM probe.
     */
    Map<String, long[]> classHistogram() {
        Map<String, long[]> classes = new HashMap<>();
        if (!jvm()) {
            return classes;
        }
        for (String line : jcmd("GC.class_histogram").split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.matches()) {
                classes.put(m.group(3).trim(), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
            }
        }
        return classes;
    }

    private String jcmd(String... command) {
        List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        cmd.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
