/**
 * The edge's load limits: the immutable {@link io.playconnect.edge.limits.EdgeLimits} configuration
 * and the token buckets (bucket4j) that enforce per-connection message and byte rates and per-IP
 * connection admission. Depends on the JDK and bucket4j only; knows nothing of protocols.
 */
package io.playconnect.edge.limits;
