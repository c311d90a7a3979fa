package io.ssegateway.config;

import io.micronaut.inject.qualifiers.Qualifiers;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.SseRecorder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loops that run the streams use io_uring where the kernel allows it, or epoll when it
 * refuses or {@code sse.io-uring} is false. A native channel registers only with a loop of its own transport, so
 * registering one tells which transport the loops run; a stream that delivers tells that the
 * acceptor and the server channel agree with them.
 */
class NativeTransportTest {
    @Test
    void streamLoopsRunEpollWhenIoUringIsTurnedOff() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "no native transport on this platform");
        try (Gateway gateway = Gateway.start(Map.of("sse.io-uring", false))) {
            assertLoopsTake(gateway, new EpollSocketChannel());
            assertDelivers(gateway);
        }
    }

    @Test
    void streamLoopsRunIoUringByDefaultWhereTheKernelAllowsIt() throws Exception {
        Assumptions.assumeTrue(Epoll.isAvailable(), "no native transport on this platform");
        try (Gateway gateway = Gateway.start()) {
            assertLoopsTake(gateway, IoUring.isAvailable() ? new IoUringSocketChannel() : new EpollSocketChannel());
            assertDelivers(gateway);
        }
    }

    private static void assertLoopsTake(Gateway gateway, Channel probe) throws InterruptedException {
        EventLoopGroup loops = gateway.context().getBean(EventLoopGroup.class, Qualifiers.byName("default"));
        try {
            assertTrue(loops.register(probe).await(5, TimeUnit.SECONDS) && probe.isRegistered(),
                    "the default loops did not take a " + probe.getClass().getSimpleName()
                            + " (io_uring available: " + IoUring.isAvailable() + ")");
        } finally {
            // A channel no loop took cannot be closed through one; it holds no socket yet.
            if (probe.isRegistered()) {
                probe.close().await(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void assertDelivers(Gateway gateway) throws Exception {
        try (SseRecorder stream = SseRecorder.open(gateway.url("/subscribe/transport"))) {
            stream.awaitOpen();
            gateway.publish("/transport", "message", "delivered");
            assertEquals("delivered", stream.next().data());
        }
    }
}
