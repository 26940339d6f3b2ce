package io.playconnect.gateway.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.playconnect.proto.v1.ClientMessage;
import io.playconnect.proto.v1.GetPresenceRequest;
import io.playconnect.proto.v1.GetPresenceResponse;
import io.playconnect.proto.v1.GetSnapshotRequest;
import io.playconnect.proto.v1.PublishRequest;
import io.playconnect.proto.v1.PublishResponse;
import io.playconnect.proto.v1.Snapshot;
import io.playconnect.proto.v1.SubscribeRequest;
import io.playconnect.proto.v1.SyncServiceGrpc;

/**
 * Binds {@code playconnect.v1.SyncService} by hand rather than through the generated base class,
 * for two marshallers the generated code cannot have: requests are read into {@link Parsed} (so
 * corrupt protobuf is a typed INVALID_ARGUMENT, not an untyped failure), and the streaming methods
 * write pre-encoded {@link Frame}s, each a serialized {@code ServerMessage} (so an event's bytes are shared by every subscriber). Names,
 * method types and schema descriptors are the generated ones, so reflection describes the service
 * exactly as the .proto does and generated clients call it unchanged.
 */
final class SyncServiceBinding {
    static final MethodDescriptor<Parsed<ClientMessage>, Frame> CONNECT = SyncServiceGrpc.getConnectMethod()
            .toBuilder(Parsed.marshaller(ClientMessage.getDefaultInstance()), Frame.MARSHALLER).build();
    static final MethodDescriptor<Parsed<PublishRequest>, PublishResponse> PUBLISH = SyncServiceGrpc.getPublishMethod()
            .toBuilder(Parsed.marshaller(PublishRequest.getDefaultInstance()),
                    ProtoUtils.marshaller(PublishResponse.getDefaultInstance())).build();
    static final MethodDescriptor<Parsed<GetSnapshotRequest>, Snapshot> GET_SNAPSHOT = SyncServiceGrpc
            .getGetSnapshotMethod().toBuilder(Parsed.marshaller(GetSnapshotRequest.getDefaultInstance()),
                    ProtoUtils.marshaller(Snapshot.getDefaultInstance())).build();
    static final MethodDescriptor<Parsed<GetPresenceRequest>, GetPresenceResponse> GET_PRESENCE = SyncServiceGrpc
            .getGetPresenceMethod().toBuilder(Parsed.marshaller(GetPresenceRequest.getDefaultInstance()),
                    ProtoUtils.marshaller(GetPresenceResponse.getDefaultInstance())).build();
    static final MethodDescriptor<Parsed<SubscribeRequest>, Frame> SUBSCRIBE = SyncServiceGrpc.getSubscribeMethod()
            .toBuilder(Parsed.marshaller(SubscribeRequest.getDefaultInstance()), Frame.MARSHALLER).build();

    private static final ServiceDescriptor SERVICE = ServiceDescriptor.newBuilder(SyncServiceGrpc.SERVICE_NAME)
            .setSchemaDescriptor(SyncServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
            .addMethod(CONNECT).addMethod(PUBLISH).addMethod(GET_SNAPSHOT).addMethod(GET_PRESENCE).addMethod(SUBSCRIBE)
            .build();

    private SyncServiceBinding() {
    }

    /** The full service name, {@code playconnect.v1.SyncService} (also its health-check name). */
    static String serviceName() {
        return SyncServiceGrpc.SERVICE_NAME;
    }

    static ServerServiceDefinition bind(GatewayRuntime rt) {
        UnaryCalls unary = new UnaryCalls(rt);
        return ServerServiceDefinition.builder(SERVICE)
                .addMethod(CONNECT, ServerCalls.asyncBidiStreamingCall(
                        out -> ConnectCall.start(rt, (ServerCallStreamObserver<Frame>) out)))
                .addMethod(PUBLISH, ServerCalls.asyncUnaryCall(unary::publish))
                .addMethod(GET_SNAPSHOT, ServerCalls.asyncUnaryCall(unary::getSnapshot))
                .addMethod(GET_PRESENCE, ServerCalls.asyncUnaryCall(unary::getPresence))
                .addMethod(SUBSCRIBE, ServerCalls.asyncServerStreamingCall(
                        (request, out) -> SubscribeCall.start(rt, request, (ServerCallStreamObserver<Frame>) out)))
                .build();
    }
}
