package io.ssegateway.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many SSE subscribers on few event loops (one by default): each loop reads hundreds or
 * thousands of connections, parsing in place, so the client costs far less CPU than the
 * server it measures.
 */
final class SseClients implements AutoCloseable {
    /** One subscribe URL, its request bytes prepared once. */
    static final class Target {
        final String host;
        final int port;
        private final String path;
        private final byte[] plain;

        Target(URI uri) {
            host = uri.getHost();
            port = uri.getPort() < 0 ? 80 : uri.getPort();
            path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            plain = request(null);
        }

        byte[] request(String lastEventId) {
            if (lastEventId == null && plain != null) {
                return plain;
            }
            String head = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n";
            return head.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    final Options options;
    final Window window;
    /** Storm: a connection is caught up once every event below this sequence arrived; -1 off. */
    volatile long catchUpSeq = -1;
    /** Resume storm: a connection has its replay once it has this many distinct events; -1 off. */
    volatile int replayTarget = -1;
    private final AtomicInteger replayed = new AtomicInteger();
    private volatile long lastReplayedNanos;

    private final EventLoopGroup[] loops;
    private final LoopStats[] stats;
    private final byte[][] scratch;
    private final List<Target> targets = new ArrayList<>();
    private final List<SseConnection> connections = new ArrayList<>();
    private final AtomicInteger caughtUp = new AtomicInteger();
    private volatile boolean running = true;
    private CountDownLatch allOpened;
    private CountDownLatch allCaughtUp;

    SseClients(Options options, Window window) {
        this.options = options;
        this.window = window;
        int n = Math.max(1, options.clientThreads);
        loops = new EventLoopGroup[n];
        stats = new LoopStats[n];
        scratch = new byte[n][];
        for (int i = 0; i < n; i++) {
            loops[i] = Transport.group(1, "sse-client-" + i);
            stats[i] = new LoopStats();
            scratch[i] = new byte[64 * 1024];
        }
        for (String url : options.subscribeUrls) {
            targets.add(new Target(URI.create(url)));
        }
    }

    /**
     * Opens {@code count} connections, spread over the targets in turn, the first {@code slow}
     * of them slow readers, each resuming after {@code lastEventId} when it is given.
     */
    void open(int count, int slow, int publishers, long firstSeq, String lastEventId) {
        allOpened = new CountDownLatch(count);
        allCaughtUp = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            int loop = i % loops.length;
            SseConnection c = new SseConnection(this, targets.get(i % targets.size()), i, i < slow,
                    new SeqTracker(publishers, firstSeq), stats[loop], scratch[loop], lastEventId);
            connections.add(c);
        }
        for (SseConnection c : connections) {
            c.openStartNanos = System.nanoTime();
            connect(c);
        }
    }

    void connect(SseConnection c) {
        if (!running) {
            return;
        }
        Bootstrap b = new Bootstrap()
                .group(loops[c.index % loops.length])
                .channel(Transport.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(c);
        if (c.slow) {
            // A small receive window and small reads: the server's buffer for this client fills.
            b.option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.SO_RCVBUF, options.slowReceiveBuffer)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(options.slowReadBytes)
                            .maxMessagesPerRead(1));
        }
        ChannelFuture f = b.connect(c.target.host, c.target.port);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                // The listener runs on the connection's loop, the only writer of its stats.
                stats[c.index % loops.length].failedOpens++;
                // A reconnect that failed is tried again, as an EventSource does.
                if (c.everOpened) {
                    c.reconnectLater(f.channel().eventLoop());
                }
            }
        });
    }

    /** Called on the connection's loop when its response head arrived. */
    void opened(SseConnection c) {
        if (allOpened != null && !c.cut) {
            allOpened.countDown();
        }
    }

    void caughtUp(SseConnection c) {
        caughtUp.incrementAndGet();
        allCaughtUp.countDown();
    }

    void replayed(long nanos) {
        lastReplayedNanos = nanos;
        replayed.incrementAndGet();
    }

    int replayedCount() {
        return replayed.get();
    }

    long lastReplayedNanos() {
        return lastReplayedNanos;
    }

    boolean awaitOpened(long timeoutMillis) throws InterruptedException {
        return allOpened.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    boolean awaitCaughtUp(long timeoutMillis) throws InterruptedException {
        return allCaughtUp.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    int openedCount() {
        return (int) (connections.size() - allOpened.getCount());
    }

    int caughtUpCount() {
        return caughtUp.get();
    }

    boolean running() {
        return running;
    }

    /** Runs {@code task} on every loop and waits, so what the loops wrote is visible after. */
    private void onEveryLoop(Runnable task) throws Exception {
        for (EventLoopGroup loop : loops) {
            loop.submit(task).get(10, TimeUnit.SECONDS);
        }
    }

    LoopStats totals() throws Exception {
        onEveryLoop(() -> { });
        LoopStats total = new LoopStats();
        for (LoopStats s : stats) {
            total.add(s);
        }
        return total;
    }

    /**
     * Events not received: for each connection that is counted, what each publisher had
     * accepted minus what arrived and minus what a {@code history-gap} announced lost (a stream
     * that ends and resumes with a gap has lost nothing silently). Returns the silent misses of
     * the readers; those of the slow connections, and of cut ones that do not resume, since
     * losing their stream is the expected outcome; and the readers' events announced by a gap.
     */
    long[] missed(long[] accepted, long firstSeq) throws Exception {
        long[] out = new long[3];
        onEveryLoop(() -> { });
        for (SseConnection c : connections) {
            long missing = 0;
            long gapped = 0;
            for (int p = 0; p < accepted.length; p++) {
                gapped += c.tracker.gapped(p);
                missing += Math.max(0, accepted[p] - c.tracker.unique(p) - c.tracker.gapped(p));
            }
            if (c.slow || (c.cut && !options.reconnect)) {
                out[1] += missing;
            } else {
                out[0] += missing;
                out[2] += gapped;
            }
        }
        return out;
    }

    /** Readers with no stream open now: cut and not yet back (a reconnect is under way). */
    int readersNotOpen() throws Exception {
        onEveryLoop(() -> { });
        int n = 0;
        for (SseConnection c : connections) {
            if (!c.slow && !c.isOpen()) {
                n++;
            }
        }
        return n;
    }

    /** True when every counted connection has received everything accepted so far. */
    boolean drained(long[] accepted) throws Exception {
        long[] m = missed(accepted, 0);
        return m[0] == 0;
    }

    List<SseConnection> connections() {
        return connections;
    }

    @Override
    public void close() {
        running = false;
        for (EventLoopGroup loop : loops) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        for (EventLoopGroup loop : loops) {
            loop.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
