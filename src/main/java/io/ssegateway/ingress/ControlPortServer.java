package io.ssegateway.ingress;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Internal;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.LineEncoder;
import io.netty.handler.codec.string.LineSeparator;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.ssegateway.config.ControlConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The control port: a plain-text TCP listener for publishing, {@code status} and {@code halt}
 * (see {@link io.ssegateway.core.LineCommand} for the line format). Starts with the application,
 * unless {@code sse.control.port} is {@code 0}, and stops with it.
 *
 * <p>It has its own single-thread event loop: the work per line is small (parse, hand to the
 * publisher), and keeping it apart from the HTTP server's loops means a busy control client
 * never delays SSE writes.
 */
@Context
@Internal
final class ControlPortServer {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPortServer.class);
    /** How long shutdown waits for the event loop to finish; connections are simply closed. */
    private static final long STOP_TIMEOUT_SECONDS = 5;

    private final ControlConfig config;
    private final LineCommandRunner runner;
    private EventLoopGroup group;
    private Channel server;
    private ChannelGroup connections;

    ControlPortServer(ControlConfig config, LineCommandRunner runner) {
        this.config = config;
        this.runner = runner;
    }

    @PostConstruct
    void start() {
        if (!config.enabled()) {
            LOG.info("event=control-port-off reason=\"sse.control.port is 0\"");
            return;
        }
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sse-control", true), NioIoHandler.newFactory());
        connections = new DefaultChannelGroup("sse-control", group.next());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                // Lets a client send its lines and shut down its side, then still read every reply.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        configure(ch.pipeline(), runner);
                    }
                });
        ChannelFuture bound = bootstrap.bind(config.bind(), config.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("control port cannot listen on " + config.bind() + ":" + config.port()
                    + " (set SSE_CONTROL_PORT to another port, or 0 to turn it off): " + bound.cause().getMessage(),
                    bound.cause());
        }
        server = bound.channel();
        LOG.info("event=control-port-listening bind={} port={} max-line-bytes={}", config.bind(), port(), runner.maxLineBytes());
    }

    /** Bounded lines, UTF-8 text, one reply line per line. */
    static void configure(ChannelPipeline pipeline, LineCommandRunner runner) {
        pipeline
                // failFast: a too-long line is refused as soon as it passes the bound, and the
                // rest of it is skipped, never buffered.
                .addLast("lines", new LineBasedFrameDecoder(runner.maxLineBytes(), true, true))
                .addLast("utf8", new StringDecoder(StandardCharsets.UTF_8))
                .addLast("replies", new LineEncoder(LineSeparator.UNIX, StandardCharsets.UTF_8))
                .addLast("commands", new ControlPortHandler(runner));
    }

    /** The port actually listened on, or -1 when the control port is off. */
    int port() {
        return server == null ? -1 : ((InetSocketAddress) server.localAddress()).getPort();
    }

    @PreDestroy
    void stop() {
        if (group == null) {
            return;
        }
        if (server != null) {
            server.close().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        // Closed while the loop still runs: left to the loop's own shutdown, a connection was
        // seen to stay open, its client never told that the port had gone.
        connections.close().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        group.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        LOG.info("event=control-port-stopped");
    }
}
