package io.playconnect.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes SIGTERM (and SIGINT) a drain that ends with exit status 0. The JVM's own handling of
 * SIGTERM runs shutdown hooks but exits with 143 whatever they do, so the signals get a handler of
 * ours; the shutdown hook stays as the fallback for other ways out (System.exit, SIGHUP).
 */
final class ShutdownSignals {
    private static final Logger log = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    /** Installs the handlers, then waits until the server has drained; the exit status. */
    static int awaitSignal(RunningServer server) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    log.info("received SIG{}: draining", signal.getName());
                    server.closeAsync();
                });
            } catch (Throwable e) {
                // Not every JVM lets us; the shutdown hook still drains, with the JVM's exit status.
                log.debug("cannot handle SIG{}: {}", name, e.toString());
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!server.terminated().isDone()) {
                log.info("JVM shutting down: draining");
                server.awaitTermination();
            }
        }, "pc-shutdown-hook"));
        boolean clean = server.terminated().join();
        return clean ? 0 : 1;
    }
}
