package io.ssegateway.core;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Bounds the history reads of one instance: at most {@code concurrency} run at once, the others
 * wait in arrival order, and a request identical to a read that is waiting or running shares it.
 *
 * <p>Why: a storm of reconnecting clients is many clients at the same position (a deploy, a
 * network blip, a pub/sub reconnect), and each used to cost a read of its own, all at once: a
 * handful of resumes against a large history held Redis long enough for every command to time
 * out. Queued and shared, the storm costs a few reads. The clients of a storm arrive over
 * seconds while one long read takes about as long, so sharing only reads that had not started
 * still cost a whole read per wave of arrivals.
 *
 * <p>A request sharing a read that was sent before it was made is topped up. A subscription
 * is registered for live events before it asks for its replay, and the exact replay-to-live
 * handoff needs the replay to see history from after that moment; a read already sent may
 * have looked before it. So such a request, once the shared read is done, also reads what
 * came after its newest event ({@link ReplayTopUp}): usually nothing or a handful, and itself
 * shared with the other requests that joined the same read.
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

    /** A read that has been sent; {@code number} counts reads started, so later ones are larger. */
    private record Flight(long number, CompletableFuture<Replay> result) {
    }

    private final int concurrency;
    private final int maxWaiting;
    private final Function<Key, CompletableFuture<Replay>> reader;
    private final Map<Key, CompletableFuture<Replay>> waiting = new LinkedHashMap<>();
    private final Map<Key, Flight> running = new HashMap<>();
    private int inFlight;
    private long reads;
    private long joined;
    private long shared;
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
        long startedSoFar;
        synchronized (this) {
            startedSoFar = reads;
        }
        return submit(key, startedSoFar);
    }

    /** {@code freshAfter}: reads numbered above it were sent after the request was made. */
    private CompletableFuture<Replay> submit(Key key, long freshAfter) {
        CompletableFuture<Replay> result;
        Flight flight;
        synchronized (this) {
            CompletableFuture<Replay> queued = waiting.get(key);
            if (queued != null) {
                joined++;
                return queued.copy();
            }
            flight = running.get(key);
            if (flight != null && flight.number() > freshAfter) {
                joined++;
                return flight.result().copy();
            }
            if (flight == null) {
                if (inFlight >= concurrency) {
                    if (waiting.size() >= maxWaiting) {
                        refused++;
                        return CompletableFuture.failedFuture(new GatewayException(Reason.BROKER_UNAVAILABLE,
                                "too many history reads waiting (" + maxWaiting + ")"));
                    }
                    result = new CompletableFuture<>();
                    waiting.put(key, result);
                    return result.copy();
                }
                result = new CompletableFuture<>();
                flight = begin(key, result);
            } else {
                shared++;
                result = null;
            }
        }
        if (result == null) {
            return flight.result().thenCompose(replay -> submit(ReplayTopUp.after(key, replay), freshAfter)
                    .thenApply(newer -> ReplayTopUp.merge(replay, newer, key.limit())));
        }
        start(key, flight);
        return result;
    }

    /** Counts a read as started and makes it joinable. Under the lock. */
    private Flight begin(Key key, CompletableFuture<Replay> result) {
        inFlight++;
        reads++;
        Flight flight = new Flight(reads, result);
        running.put(key, flight);
        return flight;
    }

    private void start(Key key, Flight flight) {
        CompletableFuture<Replay> read;
        try {
            read = reader.apply(key);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((replay, error) -> {
            // Not joinable once done: a later request must not take an answer from before it.
            synchronized (this) {
                running.remove(key, flight);
            }
            next();
            if (error != null) {
                flight.result().completeExceptionally(error);
            } else {
                flight.result().complete(replay);
            }
        });
    }

    /** A read ended: start the oldest waiting one, if any. */
    private void next() {
        Key key;
        Flight flight;
        synchronized (this) {
            inFlight--;
            Iterator<Map.Entry<Key, CompletableFuture<Replay>>> it = waiting.entrySet().iterator();
            if (!it.hasNext()) {
                return;
            }
            Map.Entry<Key, CompletableFuture<Replay>> first = it.next();
            it.remove();
            key = first.getKey();
            flight = begin(key, first.getValue());
        }
        start(key, flight);
    }

    /** Reads started since creation, top-ups included (joined requests not counted). */
    public synchronized long reads() {
        return reads;
    }

    /** Requests answered by a read another request had queued or sent after them. */
    public synchronized long joined() {
        return joined;
    }

    /** Requests that shared a read already sent before them, and so were topped up. */
    public synchronized long shared() {
        return shared;
    }

    /** Requests refused because too many distinct reads were waiting. */
    public synchronized long refused() {
        return refused;
    }

    public synchronized int waiting() {
        return waiting.size();
    }
}
