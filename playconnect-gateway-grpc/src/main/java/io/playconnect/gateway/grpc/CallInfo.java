package io.playconnect.gateway.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;

/**
 * What a call's metadata and transport say about it: the bearer token, the trace context and the
 * client's address. An interceptor puts it in the call's {@link Context}, where handlers read it.
 *
 * @param token the JWT of {@code authorization: Bearer ...}, or null
 * @param traceparent the W3C {@code traceparent} header, or null
 * @param remote the client's address, or null when the transport does not say
 */
record CallInfo(String token, String traceparent, InetSocketAddress remote) {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TRACEPARENT =
            Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<CallInfo> KEY = Context.key("playconnect-call");
    private static final CallInfo NONE = new CallInfo(null, null, null);
    private static final String BEARER = "bearer ";

    /** The current call's info (handlers run in the call's context). */
    static CallInfo current() {
        CallInfo info = KEY.get();
        return info == null ? NONE : info;
    }

    /** The current call's deadline, or null without one. */
    static Deadline deadline() {
        return Context.current().getDeadline();
    }

    static CallInfo from(Metadata headers, SocketAddress remote) {
        String auth = headers.get(AUTHORIZATION);
        String token = null;
        if (auth != null && auth.length() > BEARER.length()
                && auth.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            token = auth.substring(BEARER.length()).trim();
        }
        String traceparent = headers.get(TRACEPARENT);
        return new CallInfo(token == null || token.isEmpty() ? null : token,
                traceparent == null || traceparent.isEmpty() ? null : traceparent,
                remote instanceof InetSocketAddress inet ? inet : null);
    }

    /** Puts each call's {@link CallInfo} in its context. */
    static final class Interceptor implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            CallInfo info = from(headers, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
            return Contexts.interceptCall(Context.current().withValue(KEY, info), call, headers, next);
        }
    }
}
