package io.ssegateway.egress;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many streams with the next slice of a replay ready on one real event loop: the loop's other
 * work (a request read from a socket, an answer queued from another thread) waits for one turn
 * of slices, not for every stream's. Queued as tasks of their own, as slices were before, the
 * same work waited for all of them (the control case below), and in scenario r a publish
 * waited there three times.
 */
class SliceTurnsTest {
    private static final int STREAMS = 40;
    private static final int SLICES_EACH = 20;

    private EventLoopGroup group;
    private EventLoop loop;

    @BeforeEach
    void loop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
    }

    @AfterEach
    void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aTaskQueuedBehindManyReadySlicesRunsAfterOneTurn() throws Exception {
        List<String> order = run(next -> SliceTurns.of(loop).add(next));
        int request = order.indexOf("request");
        assertTrue(request <= SliceTurns.SLICES_PER_TURN, "the task ran after " + request + " slices");
        assertEquals(STREAMS * SLICES_EACH + 1, order.size(), "every slice ran");
    }

    @Test
    void asTasksOfTheirOwnTheSameSlicesHeldTheTaskBackUntilAllHadRun() throws Exception {
        List<String> order = run(loop::execute);
        assertTrue(order.indexOf("request") >= STREAMS, "the control case no longer shows the wait: " + order.indexOf("request"));
    }

    @Test
    void aRequestOnASocketOfTheLoopIsReadBetweenTurnsNotAfterEverySlice() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ReferenceCountUtil.release(msg);
                                order.add("read");
                            }
                        });
                        accepted.complete(ch);
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel client = new Bootstrap().group(clientGroup).channel(NioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(server.localAddress()).sync().channel();
            accepted.get(10, TimeUnit.SECONDS);
            CountDownLatch done = new CountDownLatch(STREAMS);
            // The slices are readied by one task on the loop, and the request is sent meanwhile:
            // it is in the socket before the first turn has ended.
            CountDownLatch readied = new CountDownLatch(1);
            CountDownLatch sent = new CountDownLatch(1);
            loop.execute(() -> {
                for (int s = 0; s < STREAMS; s++) {
                    new Slices(s, order, done, next -> SliceTurns.of(loop).add(next)).start();
                }
                readied.countDown();
                await(sent);
            });
            assertTrue(readied.await(10, TimeUnit.SECONDS));
            client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {'x'})).sync();
            sent.countDown();
            assertTrue(done.await(10, TimeUnit.SECONDS), "the slices did not all run");
            int read = order.indexOf("read");
            assertTrue(read >= 0, "the request was never read");
            assertTrue(read <= 2 * SliceTurns.SLICES_PER_TURN, "the request was read after " + read + " slices");
            client.close().sync();
        } finally {
            server.close().sync();
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
    }

    /** Readies every stream's first slice in one task on the loop, then queues a request there. */
    private List<String> run(Consumer<Runnable> ready) throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(STREAMS);
        loop.execute(() -> {
            for (int s = 0; s < STREAMS; s++) {
                new Slices(s, order, done, ready).start();
            }
            loop.execute(() -> order.add("request"));
        });
        assertTrue(done.await(10, TimeUnit.SECONDS), "the slices did not all run");
        return order;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One stream's replay: each slice readies the next at once, as a socket that took it whole does. */
    private static final class Slices implements Runnable {
        private final int stream;
        private final List<String> order;
        private final CountDownLatch done;
        private final Consumer<Runnable> ready;
        private int written;

        Slices(int stream, List<String> order, CountDownLatch done, Consumer<Runnable> ready) {
            this.stream = stream;
            this.order = order;
            this.done = done;
            this.ready = ready;
        }

        void start() {
            ready.accept(this);
        }

        @Override
        public void run() {
            order.add("slice " + stream + "." + written);
            if (++written < SLICES_EACH) {
                ready.accept(this);
            } else {
                done.countDown();
            }
        }
    }
}
