package io.playconnect.gateway.mqtt;

import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.playconnect.http.NettyListener;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/** The gateway's own port: MQTT over TCP, or over TLS when a certificate is configured. */
final class TcpServer {
    private final GatewayRuntime rt;
    private final SslContext ssl;
    private final NettyListener listener;

    TcpServer(GatewayRuntime rt, String host, int port) {
        this.rt = rt;
        this.ssl = rt.config.tls() ? sslContext(rt.config) : null;
        this.listener = NettyListener.newBuilder().host(host).port(port)
                .threads(rt.config.ioThreads()).threadName("pc-mqtt")
                .childInitializer(this::initChannel).build();
    }

    private static SslContext sslContext(MqttConfig config) {
        try {
            return SslContextBuilder.forServer(config.tlsCertificate().toFile(), config.tlsPrivateKey().toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("mqtt-tls-cert/mqtt-tls-key: cannot load " + config.tlsCertificate()
                    + " and " + config.tlsPrivateKey() + ": " + e.getMessage(), e);
        }
    }

    private void initChannel(SocketChannel ch) {
        if (!rt.accepting) {
            ch.close();
            return;
        }
        if (ssl != null) {
            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
        }
        rt.install(ch.pipeline());
    }

    boolean tls() {
        return ssl != null;
    }

    /** Binds and completes with the bound address (the real port when 0 was asked for). */
    CompletableFuture<InetSocketAddress> start() {
        return listener.start();
    }

    /** Stops listening; open connections stay until the edge drains them. */
    void stopListening() {
        listener.stopListening();
    }

    /** Stops listening and shuts the event loops down (closing every connection left). */
    CompletableFuture<Void> stop() {
        return listener.stop();
    }
}
