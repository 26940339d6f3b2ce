package io.playconnect.bench.load;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

/** What a workload runs with: the driver, the sizes, the server probe, where progress goes. */
public final class LoadContext {
    private final ProtocolDriver driver;
    private final LoadOptions options;
    private final ServerProbe probe;
    private final PrintStream progress;
    private final SourceAddresses addresses;
    private final String server;
    private final Path profileDir;
    private final ProtocolDriver subscriberDriver;

    LoadContext(ProtocolDriver driver, LoadOptions options, ServerProbe probe, PrintStream progress, String server,
                Path profileDirOrNull) {
        this(driver, null, options, probe, progress, server, profileDirOrNull);
    }

    /** {@code subscriberDriverOrNull}: the protocol subscribers use where it differs from the publishers' (cross). */
    LoadContext(ProtocolDriver driver, ProtocolDriver subscriberDriverOrNull, LoadOptions options, ServerProbe probe,
                PrintStream progress, String server, Path profileDirOrNull) {
        this.profileDir = profileDirOrNull;
        this.subscriberDriver = subscriberDriverOrNull;
        this.driver = Objects.requireNonNull(driver, "driver");
        this.options = Objects.requireNonNull(options, "options");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.server = Objects.requireNonNull(server, "server");
        this.addresses = new SourceAddresses(options.sourceAddresses());
    }

    /** A context for a server whose process is not probed (tests). */
    public static LoadContext unprobed(ProtocolDriver driver, LoadOptions options, PrintStream progress) {
        return new LoadContext(driver, options, ServerProbe.of(-1, false), progress, "unprobed", null);
    }

    /** The same, with the subscribers on a second protocol (the cross-protocol workload). */
    public static LoadContext unprobed(ProtocolDriver driver, ProtocolDriver subscriberDriver, LoadOptions options,
                                       PrintStream progress) {
        return new LoadContext(driver, subscriberDriver, options, ServerProbe.of(-1, false), progress, "unprobed", null);
    }

    ProtocolDriver driver() {
        return driver;
    }

    /** The subscribers' protocol in the cross-protocol workload: a second driver if given, else {@link #driver()}. */
    ProtocolDriver subscriberDriver() {
        return subscriberDriver != null ? subscriberDriver : driver;
    }

    LoadOptions options() {
        return options;
    }

    ServerProbe probe() {
        return probe;
    }

    PrintStream progress() {
        return progress;
    }

    SourceAddresses addresses() {
        return addresses;
    }

    /** The label of the server under test, such as {@code playconnect} or {@code nats-server}. */
    String server() {
        return server;
    }

    /** Starts profiling the server's measured phase, when asked for and the server is a JVM. */
    void profileStart() {
        if (profileDir != null) {
            probe.startProfile();
        }
    }

    /** Stops the profile and attaches its summary to the result as {@code profile}. */
    void profileStop(WorkloadResult result) {
        if (profileDir != null && probe.jvm()) {
            String summary = probe.stopProfile(profileDir.resolve(result.workload() + "-" + server + ".jfr"));
            if (!summary.isEmpty()) {
                result.attach("profile", summary);
            }
        }
    }

    Fleet fleet() {
        return new Fleet(driver, options.maxPending(), progress);
    }

    Fleet subscriberFleet() {
        return new Fleet(subscriberDriver(), options.maxPending(), progress);
    }
}
