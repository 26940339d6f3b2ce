package io.playconnect.gateway.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/** Counts each encoded packet on its way out (the encoder makes one buffer per packet). */
final class FrameMeter extends ChannelOutboundHandlerAdapter {
    private final MqttConnection connection;

    FrameMeter(MqttConnection connection) {
        this.connection = connection;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf buf) {
            connection.frameWritten(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
