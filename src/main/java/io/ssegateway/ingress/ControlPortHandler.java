package io.ssegateway.ingress;

import io.micronaut.core.annotation.Internal;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.buffer.Unpooled;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import io.ssegateway.ingress.LineCommandRunner.Kind;
import io.ssegateway.ingress.LineCommandRunner.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One control-port connection, after framing and decoding: every line gets one reply line, in
 * the order of the lines ({@code OK <id>}, {@code ERR <REASON> <message>}, the status JSON or
 * {@code OK halting}); blank lines and comments get none.
 *
 * <p>Lines run one at a time: the next line is looked at only when the previous one's publish
 * was accepted or refused, so a connection's events are published in its line order whatever
 * the broker. While lines wait, or while the client is not taking its replies, the connection
 * is not read: a client that floods the port is held to one read's worth of lines here, and one
 * that never reads its replies cannot make them pile up in memory.
 *
 * <p>A bad or too-long line is answered and the connection stays open. When the client shuts
 * down its side ({@code nc -N}), the lines already received are still answered, then the
 * connection is closed.
 *
 * <p>Threads: everything here runs on the channel's event loop; publishes complete elsewhere and
 * hop back to it.
 */
@Internal
final class ControlPortHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPortHandler.class);
    static final String SOURCE = "control";

    private final LineCommandRunner runner;
    private final ArrayDeque<Supplier<CompletableFuture<Reply>>> waiting = new ArrayDeque<>();
    private boolean running;
    private boolean inputShutdown;

    ControlPortHandler(LineCommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        String line = (String) msg;
        waiting.add(() -> runner.run(line, SOURCE));
        runWaiting(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            // The decoder has dropped the line and goes on with the next one; answer in turn.
            Reply reply = Reply.refused(new GatewayException(Reason.PAYLOAD_TOO_LARGE,
                    "line is longer than " + runner.maxLineBytes() + " bytes"));
            waiting.add(() -> CompletableFuture.completedFuture(reply));
            runWaiting(ctx);
            return;
        }
        LOG.debug("source=control remote={} error=\"{}\"", ctx.channel().remoteAddress(),
                LineCommandRunner.oneLine(String.valueOf(cause)));
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutdown = true;
            runWaiting(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    private void runWaiting(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!running && !waiting.isEmpty()) {
            CompletableFuture<Reply> reply = waiting.poll().get();
            if (reply.isDone()) {
                wrote |= answer(ctx, reply.join());
            } else {
                running = true;
                reply.whenComplete((r, e) -> ctx.executor().execute(() -> {
                    running = false;
                    if (answer(ctx, r)) {
                        ctx.flush();
                    }
                    runWaiting(ctx);
                }));
            }
        }
        if (wrote) {
            ctx.flush();
        }
        if (inputShutdown && !running && waiting.isEmpty()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        updateReading(ctx);
    }

    /** Writes the reply, if it has one; returns true when something was written. */
    private boolean answer(ChannelHandlerContext ctx, Reply reply) {
        if (reply.kind() == Kind.SKIPPED) {
            return false;
        }
        ctx.write(reply.text());
        if (reply.kind() == Kind.HALT) {
            // The client hears "OK halting" before the drain may start closing things.
            ctx.flush();
            runner.halt(SOURCE);
        }
        return true;
    }

    private void updateReading(ChannelHandlerContext ctx) {
        boolean idle = !running && waiting.isEmpty() && !inputShutdown;
        ctx.channel().config().setAutoRead(idle && ctx.channel().isWritable());
    }
}
