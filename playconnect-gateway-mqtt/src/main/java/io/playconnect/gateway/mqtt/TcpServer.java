package io.playconnect.gateway.mqtt;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The gateway's own port: MQTT over TCP, or over TLS when a certificate is configured. */
final class TcpServer {
    private final GatewayRuntime rt;
    private final SslContext ssl;
    private final EventLoopGroup group;
    private volatile Channel serverChannel;

    TcpServer(GatewayRuntime rt) {
        this.rt = rt;
        this.ssl = rt.config.tls() ? sslContext(rt.config) : null;
        this.group = new MultiThreadIoEventLoopGroup(rt.config.ioThreads(), new DefaultThreadFactory("pc-mqtt"),
                NioIoHandler.newFactory());
    }

    private static SslContext sslContext(MqttConfig config) {
        try {
            return SslContextBuilder.forServer(config.tlsCertificate().toFile(), config.tlsPrivateKey().toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("mqtt-tls-cert/mqtt-tls-key: cannot load " + config.tlsCertificate()
                    + " and " + config.tlsPrivateKey() + ": " + e.getMessage(), e);
        }
    }

    boolean tls() {
        return ssl != null;
    }

    /** Binds and completes with the bound address (the real port when 0 was asked for). */
    CompletableFuture<InetSocketAddress> start(String host, int port) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!rt.accepting) {
                            ch.close();
                            return;
                        }
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        rt.install(ch.pipeline());
                    }
                })
                .bind(host, port)
                .addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        serverChannel = f.channel();
                        bound.complete((InetSocketAddress) f.channel().localAddress());
                    } else {
                        stop();
                        bound.completeExceptionally(f.cause());
                    }
                });
        return bound;
    }

    /** Stops listening; open connections stay until the edge drains them. */
    void stopListening() {
        Channel ch = serverChannel;
        if (ch != null) {
            ch.close();
        }
    }

    /** Stops listening and shuts the event loops down (closing every connection left). */
    CompletableFuture<Void> stop() {
        stopListening();
        CompletableFuture<Void> done = new CompletableFuture<>();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
        return done;
    }
}
