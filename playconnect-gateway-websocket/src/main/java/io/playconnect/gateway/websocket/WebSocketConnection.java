package io.playconnect.gateway.websocket;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.playconnect.edge.EdgeSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * One upgraded connection: decodes each complete message, checks it and hands it to the edge
 * session. Everything the client is told comes back through the session's output and the
 * {@link FrameWriter}; the only frames written from here are the transport's own (pong, ping,
 * close). Runs on the connection's event loop, so its fields need no synchronisation.
 */
final class WebSocketConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    private final WebSocketConfig config;
    private final FrameWriter writer;
    private EdgeSession session;
    /** Consecutive ping intervals without a single frame from the client. */
    private int idleTicks;

    WebSocketConnection(WebSocketConfig config, FrameWriter writer) {
        this.config = config;
        this.writer = writer;
    }

    /** Binds the edge session; called on the event loop before any frame can be read. */
    void attach(EdgeSession edgeSession) {
        this.session = edgeSession;
        writer.onWritten(edgeSession::framesWritten);
    }

    /** First authentication or refresh; a success is confirmed with an {@code authenticated} frame. */
    void authenticate(String token) {
        session.authenticate(token).whenComplete((principal, error) -> {
            if (error == null && principal != null) {
                writer.text(ServerFrames.authenticated(principal));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            onFrame(frame);
        } catch (RuntimeException e) {
            log.warn("websocket frame handling failed on {}", ctx.channel(), e);
            writer.closeNow(CloseCodes.INTERNAL, "internal error");
        } finally {
            frame.release();
        }
    }

    private void onFrame(WebSocketFrame frame) {
        idleTicks = 0;
        if (session == null || writer.closing()) {
            return;
        }
        boolean admitted = session.inboundMessage(frame.content().readableBytes());
        if (frame instanceof CloseWebSocketFrame close) {
            // Echo the code only: the close handshake needs no reason, and a reply must be valid.
            writer.closeNow(close.statusCode() < 0 ? new CloseWebSocketFrame()
                    : new CloseWebSocketFrame(close.statusCode(), ""));
            return;
        }
        if (!admitted) {
            return;
        }
        if (frame instanceof TextWebSocketFrame) {
            onText(ByteBufUtil.getBytes(frame.content()));
        } else if (frame instanceof PingWebSocketFrame) {
            writer.control(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof BinaryWebSocketFrame) {
            writer.closeNow(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported: send JSON text frames");
        }
        // A pong only proves the client is alive, which resetting idleTicks recorded.
    }

    private void onText(byte[] utf8) {
        ClientFrame frame;
        try {
            frame = ClientFrameDecoder.decode(utf8);
        } catch (BadFrameException e) {
            session.reportError(e.code(), e.getMessage(), e.correlationId());
            return;
        }
        if (frame instanceof ClientFrame.Publish p) {
            session.publish(p.room(), p.type(), p.payload(), p.correlationId(), p.traceparent());
        } else if (frame instanceof ClientFrame.Join j) {
            session.join(j.room(), j.since());
        } else if (frame instanceof ClientFrame.Leave l) {
            session.leave(l.room());
        } else if (frame instanceof ClientFrame.Presence p) {
            session.presence(p.room());
        } else if (frame instanceof ClientFrame.Auth a) {
            authenticate(a.token());
        } else if (frame instanceof ClientFrame.Ping) {
            writer.text(ServerFrames.PONG);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (!(evt instanceof IdleStateEvent idle) || idle.state() != IdleState.READER_IDLE) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        idleTicks++;
        if (config.pingInterval().multipliedBy(idleTicks).compareTo(config.idleTimeout()) >= 0) {
            writer.closeNow(CloseCodes.GOING_AWAY, "idle timeout: no frame or pong for "
                    + config.idleTimeout().toSeconds() + " s");
        } else {
            writer.control(new PingWebSocketFrame());
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (session != null) {
            session.writable(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            session.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            writer.closeNow(CloseCodes.TOO_BIG, "message exceeds " + config.maxMessageBytes() + " bytes");
        } else if (cause instanceof CorruptedWebSocketFrameException) {
            // Netty's decoder or UTF-8 validator has already sent the matching close (1002, 1007, 1009).
            log.debug("protocol violation on {}: {}", ctx.channel(), cause.getMessage());
        } else if (cause instanceof IOException) {
            log.debug("websocket connection {} failed: {}", ctx.channel(), cause.toString());
            ctx.close();
        } else {
            log.warn("websocket connection {} failed", ctx.channel(), cause);
            writer.closeNow(CloseCodes.INTERNAL, "internal error");
        }
    }
}
