package io.playconnect.broker.nats;

import io.playconnect.core.spi.RoomLogConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared setup of the testkit contract suites run against NATS: connects to the server once
 * per class (skipping or, under CI=true, failing the class when it is unreachable), hands out
 * brokers in tenants of their own, and deletes those tenants after each test. Register it as
 * {@code @RegisterExtension static final NatsServerExtension NATS = new NatsServerExtension();}.
 */
final class NatsServerExtension implements BeforeAllCallback, AfterTestExecutionCallback, AfterAllCallback {
    private NatsServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = NatsServer.require();
    }

    /** A broker in a tenant of its own, deleted after the test. */
    JetStreamBroker broker(RoomLogConfig logConfig) {
        return server.broker(logConfig);
    }

    // After the test body, not after @AfterEach: the suites' @AfterEach closes the brokers, and the
    // tenants were always deleted while their brokers were still open.
    @Override
    public void afterTestExecution(ExtensionContext context) throws Exception {
        server.deleteTenants();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
