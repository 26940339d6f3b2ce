package io.playconnect.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.playconnect.broker.nats.JetStreamBroker;
import io.playconnect.core.spi.Broker;
import io.playconnect.edge.EdgeMetrics;

import java.time.Duration;

/**
 * Meters that exist for dashboards and alerts rather than for the code paths: the limits a gauge
 * is compared against (configured partitions, the connection limit), whether the broker is
 * connected, and the buckets of the gateways' command timer (so a p99 can be computed across
 * pods). Each alert rule in {@code deploy/prometheus/} names only meters that a running server
 * exports; {@code DeployMetricsTest} checks that.
 */
final class OpsMetrics {
    private OpsMetrics() {
    }

    /**
     * Gives the gateways' command timer histogram buckets. A filter, because the timer is
     * registered by the edge; it must be installed before the first gateway starts.
     */
    static void installFilters(MeterRegistry registry) {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals(EdgeMetrics.COMMANDS)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                        .maximumExpectedValue((double) Duration.ofMinutes(1).toNanos())
                        .build().merge(config);
            }
        });
    }

    /** The connection limit of this process, so a rule can compare the connection gauges with it. */
    static void bindLimits(MeterRegistry registry, ServerConfig config) {
        if (config.hasRole(Role.GATEWAY)) {
            Gauge.builder(MetricNames.SERVER_MAX_CONNECTIONS, config, c -> c.edgeLimits().maxConnections())
                    .description("--max-connections: client connections before the edge sheds load")
                    .register(registry);
        }
    }

    /** The configured partition count, so a rule can tell when the engines together own fewer. */
    static void bindPartitions(MeterRegistry registry, int partitions) {
        Gauge.builder(MetricNames.ENGINE_PARTITIONS, () -> partitions)
                .description("--partitions: partitions every engine on this broker divides")
                .register(registry);
    }

    /** 1 while connected to the broker; an in-process broker is always connected. */
    static void bindBroker(MeterRegistry registry, Broker broker) {
        String kind = broker instanceof JetStreamBroker ? "nats" : "memory";
        Gauge.builder(MetricNames.BROKER_CONNECTED, broker, OpsMetrics::connected)
                .description("1 while this process is connected to its broker")
                .tag(MetricNames.TAG_BROKER, kind)
                .register(registry);
    }

    private static double connected(Broker broker) {
        return broker instanceof JetStreamBroker nats ? (nats.isConnected() ? 1 : 0) : 1;
    }
}
