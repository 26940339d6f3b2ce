/**
 * Tracing and log context shared by the gateways' edge and the engine: {@link
 * io.playconnect.core.trace.Tracing} starts OpenTelemetry spans from and to W3C {@code traceparent}
 * strings (the form the context travels in: envelope field, command field, log-record header), and
 * {@link io.playconnect.core.trace.LogContext} puts trace id, room, connection id and protocol into
 * the logging MDC around the handling of one message.
 *
 * <p>Only the OpenTelemetry API is used here. Without an SDK (the default) {@code Tracing} reports
 * itself disabled and callers create no span objects at all.
 */
package io.playconnect.core.trace;
