package io.playconnect.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class NettyListenerTest {

    /** Writes back what it reads: enough of a protocol to see a connection is served. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush((ByteBuf) msg);
        }
    }

    private static NettyListener.Builder echo() {
        return NettyListener.newBuilder().host("127.0.0.1").port(0).threadName("pc-test")
                .childInitializer(ch -> ch.pipeline().addLast(new Echo()));
    }

    private static int echoOnce(Socket socket, int b) throws IOException {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(b);
        socket.getOutputStream().flush();
        return socket.getInputStream().read();
    }

    @Test
    void servesEachConnectionWithTheInitializersPipeline() throws Exception {
        NettyListener listener = echo().build();
        try {
            InetSocketAddress bound = listener.start().join();
            assertThat(bound.getPort()).isPositive();
            assertThat(listener.boundAddress()).isEqualTo(bound);
            try (Socket a = new Socket("127.0.0.1", bound.getPort()); Socket b = new Socket("127.0.0.1", bound.getPort())) {
                assertThat(echoOnce(a, 'a')).isEqualTo('a');
                assertThat(echoOnce(b, 'b')).isEqualTo('b');
            }
        } finally {
            listener.stop().join();
        }
    }

    @Test
    void stopListeningKeepsAcceptedConnectionsAndStopClosesThem() throws Exception {
        NettyListener listener = echo().build();
        int port = listener.start().join().getPort();
        try (Socket open = new Socket("127.0.0.1", port)) {
            assertThat(echoOnce(open, 1)).isEqualTo(1);
            listener.stopListening().join();
            // The JDK releases a selector-registered socket on the event loop's next select.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class));
            assertThat(echoOnce(open, 2)).as("accepted before stopListening").isEqualTo(2);

            listener.stop().join();
            listener.stop().join();
            InputStream in = open.getInputStream();
            assertThat(in.read()).as("end of stream once the event loops are gone").isEqualTo(-1);
        }
    }

    @Test
    void takenPortFailsWithBindExceptionAndStartsOnlyOnce() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            NettyListener listener = echo().port(taken.getLocalPort()).build();
            CompletableFuture<InetSocketAddress> started = listener.start();
            assertThat(started).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .havingRootCause().isInstanceOf(BindException.class);
            assertThat(listener.boundAddress()).isNull();
            assertThat(listener.start()).failsWithin(Duration.ZERO).withThrowableThat()
                    .withMessageContaining("started once");
        }
    }

    @Test
    void builderRejectsBadSettingsNamingThem() {
        assertThatThrownBy(() -> NettyListener.newBuilder().port(-1)).hasMessageContaining("port");
        assertThatThrownBy(() -> NettyListener.newBuilder().port(65536)).hasMessageContaining("port");
        assertThatThrownBy(() -> NettyListener.newBuilder().host("")).hasMessageContaining("host");
        assertThatThrownBy(() -> NettyListener.newBuilder().threads(-1)).hasMessageContaining("threads");
        assertThatThrownBy(() -> NettyListener.newBuilder().threadName(" ")).hasMessageContaining("threadName");
        assertThatThrownBy(() -> NettyListener.newBuilder().eventLoopGroup(null)).hasMessageContaining("eventLoopGroup");
        assertThatThrownBy(() -> NettyListener.newBuilder().build()).hasMessageContaining("childInitializer");
    }
}
