/**
 * The edge's load limits: the immutable {@link io.playconnect.edge.limits.EdgeLimits} configuration
 * and the token buckets that enforce per-connection message and byte rates (a compact one of its
 * own: there is one per connection) and per-IP connection admission (bucket4j). Depends on the JDK
 * and bucket4j only; knows nothing of protocols.
 */
package io.playconnect.edge.limits;
