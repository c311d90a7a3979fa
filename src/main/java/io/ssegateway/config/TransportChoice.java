package io.ssegateway.config;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.DefaultEventLoopGroupConfiguration;
import io.micronaut.http.netty.channel.EventLoopGroupConfiguration;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Netty's io_uring transport where the kernel allows it, unless {@code sse.io-uring=false}
 * ({@code SSE_IO_URING}) asks for epoll.
 *
 * <p>io_uring makes a delivery at low rates several times cheaper: one system call submits a
 * loop turn's writes to every connection, where epoll makes one {@code sendto} each. Measured
 * back to back on a quiet machine (BENCHMARKS.md): four waiting publishers, 1,000 streams,
 * 483k deliveries/s at 2.5 us of CPU each against epoll's 178k; the resume storm caught up
 * at least as fast. Where the kernel refuses it (older kernels, Docker's default seccomp
 * profile, {@code kernel.io_uring_disabled}) Micronaut falls back to epoll by itself.
 *
 * <p>Micronaut prefers io_uring to epoll once the transport is on the class path and the kernel
 * allows it, and has no single switch for it: each event-loop setting takes its own list of
 * transports. This sets the list on the acceptor, the server channel and the loops the
 * connections run on together, since a native channel registers only with a loop of its own
 * transport. With native transports off ({@code SSE_NATIVE_TRANSPORT=false}) it leaves NIO.
 */
@Singleton
final class TransportChoice implements BeanCreatedEventListener<EventLoopGroupConfiguration> {
    private static final List<String> EPOLL_FIRST = List.of("epoll", "kqueue", "nio");

    private final boolean ioUring;

    TransportChoice(GatewayConfig config) {
        this.ioUring = config.ioUring();
    }

    @Override
    public EventLoopGroupConfiguration onCreated(BeanCreatedEvent<EventLoopGroupConfiguration> event) {
        EventLoopGroupConfiguration c = event.getBean();
        if (ioUring || !c.isPreferNativeTransport()) {
            return c;
        }
        if (c instanceof NettyHttpServerConfiguration.EventLoopConfig server) {
            server.setTransport(EPOLL_FIRST);
            return server;
        }
        return new DefaultEventLoopGroupConfiguration(c.getName(), c.getNumThreads(), c.getThreadCoreRatio(),
                c.getIoRatio().orElse(null), true, EPOLL_FIRST, c.getExecutorName().orElse(null),
                c.getShutdownQuietPeriod(), c.getShutdownTimeout(), c.isLoomCarrier());
    }
}
