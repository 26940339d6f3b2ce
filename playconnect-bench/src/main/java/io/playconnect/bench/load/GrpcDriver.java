package io.playconnect.bench.load;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.MetadataUtils;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * PlayConnect's gRPC contract (proto/playconnect/v1/sync.proto) through grpc-java. A client is a
 * {@code Connect} stream on a channel of its own, so one client is one TCP connection, as with the
 * WebSocket driver; the bearer token travels in the call's metadata. Unary {@code Publish} calls
 * ({@link #unary()}) share a few channels and one service token, as a backend service would.
 *
 * <p>Every callback runs on the driver's I/O threads (grpc's direct executor): nothing blocks there.
 */
public final class GrpcDriver implements ProtocolDriver, UnaryPublishing {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final InetSocketAddress target;
    private final Function<ClientSpec, String> tokens;
    private final String serviceToken;
    private final int unaryChannels;
    private final EventLoopGroup group;
    private final Set<ManagedChannel> channels = ConcurrentHashMap.newKeySet();
    private volatile GrpcUnaryPublisher unary;

    /**
     * @param target        the server's gRPC address
     * @param tokens        the JWT each streaming client authenticates with
     * @param serviceToken  the JWT of the unary calls (one edge session on the server), or null
     * @param ioThreads     client I/O threads
     * @param unaryChannels channels (TCP connections) the unary calls are spread over
     */
    public GrpcDriver(InetSocketAddress target, Function<ClientSpec, String> tokens, String serviceToken,
                      int ioThreads, int unaryChannels) {
        this.target = Objects.requireNonNull(target, "target");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.serviceToken = serviceToken;
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be >= 1: " + ioThreads);
        }
        if (unaryChannels < 1) {
            throw new IllegalArgumentException("unaryChannels must be >= 1: " + unaryChannels);
        }
        this.unaryChannels = unaryChannels;
        this.group = new NioEventLoopGroup(ioThreads, new DefaultThreadFactory("load-grpc", true));
    }

    /** {@code grpc://host:port} (or {@code host:port}) as a socket address. */
    public static InetSocketAddress address(URI url) {
        Objects.requireNonNull(url, "url");
        if (url.getHost() == null || url.getPort() < 0) {
            throw new IllegalArgumentException("url must be grpc://HOST:PORT: '" + url + "'");
        }
        return new InetSocketAddress(url.getHost(), url.getPort());
    }

    @Override
    public String name() {
        return "playconnect-grpc";
    }

    @Override
    public boolean resumes() {
        return true;
    }

    @Override
    public CompletableFuture<ClientConnection> connect(ClientSpec spec, ClientListener listener) {
        ManagedChannel channel = channel(spec.localAddress());
        GrpcStreamConnection conn = new GrpcStreamConnection(spec, listener, channel, authorized(channel, tokens.apply(spec)));
        conn.closed().whenComplete((v, e) -> {
            // A stream that ended leaves an idle channel behind: release its connection.
            channel.shutdownNow();
            channels.remove(channel);
        });
        return conn.start();
    }

    /** Unary calls with the service token; the channels open on first use. */
    @Override
    public CompletableFuture<Long> publishUnary(String room, byte[] payload, String correlationId) {
        GrpcUnaryPublisher u = unary;
        if (u == null) {
            u = unaryPublisher();
        }
        return u.publish(room, payload, correlationId);
    }

    private synchronized GrpcUnaryPublisher unaryPublisher() {
        if (unary == null) {
            if (serviceToken == null) {
                throw new IllegalStateException("unary calls need a service token");
            }
            Channel[] stubs = new Channel[unaryChannels];
            InetAddress local = InetAddress.getLoopbackAddress();
            for (int i = 0; i < unaryChannels; i++) {
                stubs[i] = authorized(channel(local), serviceToken);
            }
            unary = new GrpcUnaryPublisher(stubs);
        }
        return unary;
    }

    /** A channel from {@code local} to the server: one TCP connection, opened on its first call. */
    private ManagedChannel channel(InetAddress local) {
        ManagedChannel ch = NettyChannelBuilder.forAddress(target)
                .eventLoopGroup(group)
                .channelType(NioSocketChannel.class)
                .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
                    @Override
                    public java.net.SocketAddress createSocketAddress(java.net.SocketAddress remote,
                                                                      io.grpc.Attributes attrs) {
                        return new InetSocketAddress(local, 0);
                    }
                })
                .usePlaintext()
                .directExecutor()
                .build();
        channels.add(ch);
        return ch;
    }

    private static Channel authorized(ManagedChannel channel, String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public void close() {
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
        for (ManagedChannel ch : channels) {
            try {
                ch.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        channels.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
