package io.playconnect.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    boolean present() {
        return pid > 0;
    }

    boolean jvm() {
        return jvm && present();
    }

    /** CPU time (user + system, all threads) in milliseconds, or -1 without a process. */
    long cpuMillis() {
        if (!present()) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name may contain spaces: fields are counted after its closing parenthesis.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
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
