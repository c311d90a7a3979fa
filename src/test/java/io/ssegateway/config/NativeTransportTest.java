package io.ssegateway.config;

import io.micronaut.inject.qualifiers.Qualifiers;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import io.ssegateway.testing.Gateway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loops that run the streams use io_uring where the kernel allows it (one system call
 * submits a turn's writes to every connection, where epoll makes one per connection) and epoll
 * where it refuses. A native channel registers only with a loop of its own transport, so
 * registering one tells which transport the loops run.
 */
class NativeTransportTest {
    @Test
    void streamLoopsRunIoUringWhereTheKernelAllowsItAndEpollWhereItRefuses() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "no native transport on this platform");
        try (Gateway gateway = Gateway.start()) {
            EventLoopGroup loops = gateway.context().getBean(EventLoopGroup.class, Qualifiers.byName("default"));
            Channel probe = IoUring.isAvailable() ? new IoUringSocketChannel() : new EpollSocketChannel();
            try {
                assertTrue(loops.register(probe).await(5, TimeUnit.SECONDS) && probe.isRegistered(),
                        "the default loops did not take a " + probe.getClass().getSimpleName()
                                + " (io_uring available: " + IoUring.isAvailable() + ")");
            } finally {
                probe.close().await(5, TimeUnit.SECONDS);
            }
        }
    }
}
