package io.playconnect.gateway.mqtt;

import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateHandler;
import io.playconnect.core.ErrorCode;
import io.playconnect.core.SyncException;
import io.playconnect.edge.Admission;
import io.playconnect.edge.auth.Principal;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * CONNECT (token check, CONNACK and what it advertises), MQTT 5 re-authentication with AUTH, and
 * the client's DISCONNECT. The token is the password, or the authentication data of the MQTT 5
 * authentication method {@value #AUTH_METHOD}.
 */
final class Handshake {
    static final String AUTH_METHOD = "jwt";

    private final MqttConnection c;
    private String authMethod;
    private int keepAlive;
    private boolean capKeepAlive;
    private boolean assignedId;
    private boolean sessionExpiryRequested;
    /** The client's session expiry (MQTT 5, seconds; 0xFFFFFFFF = never), or -1 when it sent none. */
    private long requestedExpiry = -1;
    private boolean cleanStart;

    Handshake(MqttConnection connection) {
        this.c = connection;
    }

    void onConnect(MqttConnectMessage msg, Admission refused) {
        MqttConnectVariableHeader h = msg.variableHeader();
        MqttConnectPayload p = msg.payload();
        MqttVersion version = MqttVersion.fromProtocolNameAndLevel(h.name(), (byte) h.version());
        boolean v5 = version == MqttVersion.MQTT_5;
        if (refused != null) {
            c.refuseConnect(ReasonCodes.admissionRefused(refused.code(), v5), v5,
                    refused.code().wireName() + ": " + refused.reason());
            return;
        }
        String id = clientId(p.clientIdentifier(), h.isCleanSession(), v5);
        Will will = id == null ? null : Will.of(h, p, c.rt.topics);
        String token = id == null || !acceptable(h.properties(), will, v5) ? null : token(h, p, h.properties(), v5);
        if (token == null) {
            return;
        }
        readOptions(h, v5);
        c.wills().set(will);
        c.connecting(version);
        c.session().authenticate(token).whenComplete((principal, err) ->
                c.post(() -> authenticated(principal, err, id)));
    }

    /** The client id to use (assigned when empty), or null when the CONNECT was refused for it. */
    private String clientId(String id, boolean cleanSession, boolean v5) {
        if (id.length() > GatewayRuntime.MAX_CLIENT_ID_LENGTH) {
            c.refuseConnect(v5 ? ReasonCodes.CLIENT_ID_NOT_VALID : ReasonCodes.V3_IDENTIFIER_REJECTED, v5,
                    "client ids are at most " + GatewayRuntime.MAX_CLIENT_ID_LENGTH + " characters");
            return null;
        }
        if (!id.isEmpty()) {
            return id;
        }
        if (!v5 && !cleanSession) {
            c.refuseConnect(ReasonCodes.V3_IDENTIFIER_REJECTED, false, "an empty client id needs a clean session");
            return null;
        }
        assignedId = true;
        return "pc-" + UUID.randomUUID();
    }

    /** Checks the authentication method and the will; false when the CONNECT was refused. */
    private boolean acceptable(MqttProperties props, Will will, boolean v5) {
        authMethod = stringProperty(props, MqttProperties.AUTHENTICATION_METHOD);
        if (authMethod != null && !authMethod.equals(AUTH_METHOD)) {
            c.refuseConnect(ReasonCodes.BAD_AUTHENTICATION_METHOD, true, "the authentication method is " + AUTH_METHOD);
            return false;
        }
        String willProblem = will == null ? null : will.problem(v5);
        if (willProblem == null) {
            return true;
        }
        if (v5) {
            c.refuseConnect(will.refusalCode(), true, willProblem);
        } else {
            c.closeNow();
        }
        return false;
    }

    /** Keep-alive, session expiry and the MQTT 5 client's limits. */
    private void readOptions(MqttConnectVariableHeader h, boolean v5) {
        MqttProperties props = h.properties();
        keepAlive = h.keepAliveTimeSeconds();
        int max = c.rt.config.maxKeepAliveSeconds();
        capKeepAlive = v5 && max > 0 && (keepAlive == 0 || keepAlive > max);
        if (capKeepAlive) {
            keepAlive = max;
        }
        Integer expiry = intProperty(props, MqttProperties.SESSION_EXPIRY_INTERVAL);
        sessionExpiryRequested = expiry != null && expiry != 0;
        requestedExpiry = expiry == null ? -1 : Integer.toUnsignedLong(expiry);
        cleanStart = h.isCleanSession();
        c.outbound().configure(v5 ? intProperty(props, MqttProperties.RECEIVE_MAXIMUM) : null,
                v5 ? intProperty(props, MqttProperties.MAXIMUM_PACKET_SIZE) : null,
                v5 && Integer.valueOf(0).equals(intProperty(props, MqttProperties.REQUEST_PROBLEM_INFORMATION)));
    }

    /** A CONNECT the codec could not decode; {@code attempted} is the version it named, if it got that far. */
    void onBrokenConnect(Throwable cause, String text, MqttVersion attempted, boolean beforeConnect) {
        boolean v5 = attempted == MqttVersion.MQTT_5;
        if (cause instanceof MqttUnacceptableProtocolVersionException) {
            c.refuseConnect(ReasonCodes.V3_UNACCEPTABLE_PROTOCOL_VERSION, false, text);
        } else if (cause instanceof MqttIdentifierRejectedException) {
            c.refuseConnect(v5 ? ReasonCodes.CLIENT_ID_NOT_VALID : ReasonCodes.V3_IDENTIFIER_REJECTED, v5, text);
        } else if (v5 && beforeConnect) {
            c.refuseConnect(cause instanceof TooLongFrameException ? ReasonCodes.PACKET_TOO_LARGE
                    : ReasonCodes.MALFORMED_PACKET, true, text);
        } else {
            c.closeNow();
        }
    }

    /**
     * The token: the MQTT 5 authentication data, else the password, else (development only) the
     * anonymous token. Null when the CONNECT was refused for having none.
     */
    private String token(MqttConnectVariableHeader h, MqttConnectPayload p, MqttProperties props, boolean v5) {
        MqttProperties.MqttProperty<?> data = props.getProperty(MqttProperties.AUTHENTICATION_DATA);
        if (data != null) {
            return new String((byte[]) data.value(), StandardCharsets.UTF_8);
        }
        byte[] password = h.hasPassword() ? p.passwordInBytes() : null;
        if (password != null && password.length > 0) {
            return new String(password, StandardCharsets.UTF_8);
        }
        if (c.rt.config.allowAnonymous()) {
            return c.rt.config.anonymousToken();
        }
        c.refuseConnect(v5 ? ReasonCodes.BAD_USER_NAME_OR_PASSWORD : ReasonCodes.V3_NOT_AUTHORIZED, v5,
                "a JWT is required as the password");
        return null;
    }

    private void authenticated(Principal principal, Throwable err, String clientId) {
        if (c.state() != MqttConnection.State.CONNECTING) {
            return;
        }
        if (err != null) {
            SyncException failure = cause(err);
            c.wills().set(null);
            c.refuseConnect(ReasonCodes.authenticationFailed(failure.code(), c.isV5()), c.isV5(), failure.getMessage());
            return;
        }
        // A session is a user's: the same client id of another user is another session.
        String hash = Sessions.hash(principal.user(), clientId);
        c.sessionKey(hash);
        c.rt.sessions.begin(c, hash, cleanStart).whenComplete((state, failure) ->
                c.post(() -> sessionLoaded(clientId, hash, state == null ? null : state.orElse(null), failure)));
    }

    /** The previous holder of the session is gone and the stored session (if any) is loaded: CONNACK. */
    private void sessionLoaded(String clientId, String hash, SessionState loaded, Throwable failure) {
        if (c.state() != MqttConnection.State.CONNECTING) {
            if (loaded != null) {
                loaded.releaseOutbound();
            }
            return;
        }
        if (failure != null) {
            c.wills().set(null);
            c.refuseConnect(c.isV5() ? ReasonCodes.SERVER_UNAVAILABLE : ReasonCodes.V3_SERVER_UNAVAILABLE, c.isV5(),
                    "the session store is unavailable");
            return;
        }
        // Keyed by user and client id, so another user's state is never expected: never hand it over.
        SessionState state = loaded == null || loaded.user.equals(c.session().principal().user()) ? loaded : null;
        if (loaded != null && state == null) {
            loaded.releaseOutbound();
        }
        long expiry = grantedExpiry();
        c.write(Packets.connAck(ReasonCodes.SUCCESS, state != null,
                c.isV5() ? connAckProperties(clientId, expiry) : MqttProperties.NO_PROPERTIES));
        if (keepAlive > 0) {
            // MQTT: the server closes after one and a half keep-alive intervals without a packet.
            c.ctx().pipeline().addBefore(c.ctx().name(), "mqtt-keepalive",
                    new IdleStateHandler(keepAlive * 1500L, 0, 0, TimeUnit.MILLISECONDS));
        }
        MqttSession persistence = null;
        if (c.rt.sessions.store != null && (expiry > 0 || state != null)) {
            persistence = new MqttSession(c, c.rt.sessions.store, Sessions.storeId(hash),
                    state != null ? state.tag : UUID.randomUUID().toString().substring(0, 8),
                    state != null ? state.counter : 0, expiry);
            c.persistence(persistence);
            c.outbound().persistent(c.subscriptions()::passed);
        }
        // Any session, clean or not, can be taken over from another gateway.
        c.takeoverListener(c.rt.sessions.listen(hash, c));
        MqttSession started = persistence;
        c.connected(clientId, () -> {
            if (state != null) {
                c.commands().restore(state);
                c.outbound().resume(state.outbound);
                c.subscriptions().restore(state);
            }
            if (started != null) {
                started.start();
            }
        });
    }

    /**
     * How long the session outlives the connection, in seconds: MQTT 5 asks (capped by
     * {@link MqttConfig#sessionExpiryMax()}); MQTT 3.1.1 clean session 0 gets
     * {@link MqttConfig#sessionExpiryDefault()}. 0 without a session store.
     */
    private long grantedExpiry() {
        if (c.rt.sessions.store == null) {
            return 0;
        }
        if (!c.isV5()) {
            return cleanStart ? 0 : Math.min(c.rt.config.sessionExpiryDefault().getSeconds(),
                    c.rt.config.sessionExpiryMax().getSeconds());
        }
        return Math.min(Math.max(requestedExpiry, 0), c.rt.config.sessionExpiryMax().getSeconds());
    }

    private MqttProperties connAckProperties(String clientId, long expiry) {
        MqttProperties p = new MqttProperties();
        MqttConfig config = c.rt.config;
        p.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, config.receiveMaximum()));
        // Maximum QoS is absent: QoS 2 is served (the property may only say 0 or 1).
        p.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, c.rt.retained != null ? 1 : 0));
        p.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, config.maxPacketBytes()));
        p.add(new MqttProperties.IntegerProperty(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE, 1));
        p.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 1));
        // Shared subscriptions cover plain topics, which need the broker.
        p.add(new MqttProperties.IntegerProperty(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE,
                c.rt.plainBus != null ? 1 : 0));
        if (config.topicAliasMaximum() > 0) {
            // Resolved by V5Codec; absent means 0 (no aliases).
            p.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, config.topicAliasMaximum()));
        }
        if (assignedId) {
            p.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, clientId));
        }
        if (capKeepAlive) {
            p.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, keepAlive));
        }
        if (requestedExpiry > 0 && requestedExpiry != expiry) {
            // Capped by the gateway (or 0 without a session store): the client learns what it got.
            p.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, (int) expiry));
        }
        if (authMethod != null) {
            p.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, authMethod));
        }
        return p;
    }

    /** MQTT 5 AUTH: re-authentication (reason 0x19) with a new token as the authentication data. */
    void onAuth(MqttMessage msg) {
        MqttReasonCodeAndPropertiesVariableHeader h = (MqttReasonCodeAndPropertiesVariableHeader) msg.variableHeader();
        MqttProperties props = h.properties();
        String method = stringProperty(props, MqttProperties.AUTHENTICATION_METHOD);
        if (authMethod == null || !authMethod.equals(method)) {
            c.closeWith(ReasonCodes.PROTOCOL_ERROR, "AUTH must use the authentication method of the CONNECT");
            return;
        }
        if ((h.reasonCode() & 0xff) != ReasonCodes.REAUTHENTICATE) {
            c.closeWith(ReasonCodes.PROTOCOL_ERROR, "the server asked for no authentication step");
            return;
        }
        MqttProperties.MqttProperty<?> data = props.getProperty(MqttProperties.AUTHENTICATION_DATA);
        String token = data == null ? "" : new String((byte[]) data.value(), StandardCharsets.UTF_8);
        c.session().authenticate(token).whenComplete((principal, err) -> c.post(() -> {
            if (c.state() != MqttConnection.State.CONNECTED) {
                return;
            }
            if (err != null) {
                c.closeWith(ReasonCodes.NOT_AUTHORIZED, "re-authentication failed: " + cause(err).getMessage());
            } else {
                c.write(Packets.auth(ReasonCodes.SUCCESS, authMethod));
            }
        }));
    }

    /** The client's DISCONNECT: normal (the will is dropped) or, MQTT 5 reason 0x04, with the will. */
    void onDisconnect(MqttMessage msg) {
        int reason = ReasonCodes.SUCCESS;
        if (c.isV5() && msg.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h) {
            reason = h.reasonCode() & 0xff;
            Integer expiry = intProperty(h.properties(), MqttProperties.SESSION_EXPIRY_INTERVAL);
            if (expiry != null && expiry != 0 && !sessionExpiryRequested) {
                c.closeWith(ReasonCodes.PROTOCOL_ERROR, "session expiry set on DISCONNECT but not on CONNECT");
                return;
            }
            if (expiry != null && c.persistence() != null) {
                c.persistence().expiry(Math.min(Integer.toUnsignedLong(expiry),
                        c.rt.config.sessionExpiryMax().getSeconds()));
            }
        }
        if (reason != 0x04) {
            c.wills().set(null);
        }
        c.closeNow();
    }

    private static SyncException cause(Throwable err) {
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        return t instanceof SyncException s ? s : new SyncException(ErrorCode.UNAVAILABLE, String.valueOf(t.getMessage()));
    }

    static String stringProperty(MqttProperties props, int id) {
        MqttProperties.MqttProperty<?> p = props.getProperty(id);
        return p == null ? null : (String) p.value();
    }

    static Integer intProperty(MqttProperties props, int id) {
        MqttProperties.MqttProperty<?> p = props.getProperty(id);
        return p == null ? null : (Integer) p.value();
    }
}
