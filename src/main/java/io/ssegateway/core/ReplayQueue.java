package io.ssegateway.core;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Bounds the history reads of one instance: at most {@code concurrency} run at once, the others
 * wait in arrival order, and a read asked for while an identical one is still waiting joins it.
 *
 * <p>Why: a storm of reconnecting clients is many clients at the same position (a deploy, a
 * network blip, a pub/sub reconnect), and each used to cost a read of its own, all at once: a
 * handful of resumes against a large history held Redis long enough for every command to time
 * out. Queued and joined, the storm costs a few reads.
 *
 * <p>Only a read that has not started is joined. A subscription is registered for live events
 * before it asks for its replay, and the exact replay-to-live handoff needs the read to see
 * history from after that moment; a read already sent may have looked before it.
 *
 * <p>Thread-safe; the reader is called on whichever thread submits or completes a read, and must
 * not block.
 */
public final class ReplayQueue {
    /**
     * One read: the events after {@code after}, or (without one) those published at or after
     * {@code sinceMillis} when it is not negative, or else the newest, at most {@code limit}.
     */
    public record Key(List<Namespace> topics, EventId after, long sinceMillis, int limit) {
        public Key {
            topics = List.copyOf(topics);
        }
    }

    private final int concurrency;
    private final int maxWaiting;
    private final Function<Key, CompletableFuture<Replay>> reader;
    private final Map<Key, CompletableFuture<Replay>> waiting = new LinkedHashMap<>();
    private int running;
    private long reads;
    private long joined;
    private long refused;

    /**
     * @param concurrency reads in flight at once
     * @param maxWaiting distinct reads that may wait; one more is refused at once (the client
     *     is closed and comes back later) rather than queued for longer than it would wait
     */
    public ReplayQueue(int concurrency, int maxWaiting, Function<Key, CompletableFuture<Replay>> reader) {
        if (concurrency < 1 || maxWaiting < 0) {
            throw new IllegalArgumentException("concurrency must be positive and maxWaiting not negative");
        }
        this.concurrency = concurrency;
        this.maxWaiting = maxWaiting;
        this.reader = reader;
    }

    public CompletableFuture<Replay> submit(Key key) {
        CompletableFuture<Replay> result;
        synchronized (this) {
            CompletableFuture<Replay> queued = waiting.get(key);
            if (queued != null) {
                joined++;
                return queued.copy();
            }
            if (running >= concurrency) {
                if (waiting.size() >= maxWaiting) {
                    refused++;
                    return CompletableFuture.failedFuture(new GatewayException(Reason.BROKER_UNAVAILABLE,
                            "too many history reads waiting (" + maxWaiting + ")"));
                }
                result = new CompletableFuture<>();
                waiting.put(key, result);
                return result.copy();
            }
            running++;
            reads++;
        }
        result = new CompletableFuture<>();
        start(key, result);
        return result;
    }

    private void start(Key key, CompletableFuture<Replay> result) {
        CompletableFuture<Replay> read;
        try {
            read = reader.apply(key);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((replay, error) -> {
            next();
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(replay);
            }
        });
    }

    /** A read ended: start the oldest waiting one, if any. */
    private void next() {
        Key key;
        CompletableFuture<Replay> result;
        synchronized (this) {
            running--;
            Iterator<Map.Entry<Key, CompletableFuture<Replay>>> it = waiting.entrySet().iterator();
            if (!it.hasNext()) {
                return;
            }
            Map.Entry<Key, CompletableFuture<Replay>> first = it.next();
            it.remove();
            key = first.getKey();
            result = first.getValue();
            running++;
            reads++;
        }
        start(key, result);
    }

    /** Reads started since creation (joined requests not counted). */
    public synchronized long reads() {
        return reads;
    }

    /** Requests answered by a read another request had queued. */
    public synchronized long joined() {
        return joined;
    }

    /** Requests refused because too many distinct reads were waiting. */
    public synchronized long refused() {
        return refused;
    }

    public synchronized int waiting() {
        return waiting.size();
    }
}
