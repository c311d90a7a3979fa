package io.ssegateway.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.ssegateway.core.EventId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Makes a failover that lost writes detectable. Redis replication is asynchronous: a replica
 * promoted by Sentinel may lack the newest events, which the old master had acknowledged and
 * published. With the epoch unchanged, the new master gives the lost sequence numbers out again
 * and a client resuming from before the loss skips the lost events silently. After a graceful
 * {@code SENTINEL FAILOVER}, too, the old master takes writes until Sentinel demotes it (seconds
 * later), and those are lost the same way.
 *
 * <p>The sequence of ids only moves forward within an epoch. So the guard keeps the highest id
 * this instance saw (its own publishes, and every stored event on its pub/sub link) and, when
 * Redis holds a lower sequence in the same epoch, ends that epoch ({@code guard.lua}): the next
 * publish starts a new one and every resume from before answers {@code history-gap}. It checks
 * when the link comes back (before the catch-up reads) and whenever an event arrives whose
 * sequence is lower than one that arrived before it.
 */
final class FailoverGuard {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverGuard.class);

    /** The highest sequence a Lua number holds exactly: above any Redis could hold. */
    private static final long ABOVE_ANY_SEQ = (1L << 53) - 1;

    private final LuaScript script = LuaScript.named("guard");
    private final RedisKeys keys;
    private final RedisAsyncCommands<String, String> redis;
    private final AtomicReference<EventId> highest = new AtomicReference<>();

    FailoverGuard(RedisKeys keys, RedisAsyncCommands<String, String> redis) {
        this.keys = keys;
        this.redis = redis;
    }

    LuaScript script() {
        return script;
    }

    /** Notes an id Redis gave out; an id of another epoch replaces the old epoch's mark. */
    void saw(EventId id) {
        highest.accumulateAndGet(id, (mark, seen) -> mark == null || !mark.sameEpoch(seen) || seen.seq() > mark.seq() ? seen : mark);
    }

    /**
     * Compares Redis' sequence with the highest id seen and ends the epoch when Redis is behind.
     * Completes with true when it did; never fails (a check that could not run is logged, and the
     * next reconnect or regression checks again).
     */
    CompletableFuture<Boolean> check() {
        EventId mark = highest.get();
        if (mark == null) {
            return CompletableFuture.completedFuture(false);
        }
        return endEpochIfBehind(mark, "redis-behind");
    }

    /**
     * An event arrived whose sequence is lower than one before it in the same epoch: Redis went
     * back, whatever it holds now. Ends that epoch unless another instance already did.
     */
    CompletableFuture<Boolean> regressed(EventId event) {
        LOG.warn("event=sequence-regressed id={}", event);
        return endEpochIfBehind(new EventId(event.epoch(), event.millis(), ABOVE_ANY_SEQ), "sequence-regressed");
    }

    /** Ends the epoch of the highest id seen, whatever Redis holds (keys were evicted). */
    CompletableFuture<Boolean> endEpoch() {
        EventId mark = highest.get();
        if (mark == null) {
            return CompletableFuture.completedFuture(false);
        }
        return endEpochIfBehind(new EventId(mark.epoch(), mark.millis(), ABOVE_ANY_SEQ), "evicted");
    }

    private CompletableFuture<Boolean> endEpochIfBehind(EventId mark, String reason) {
        try {
            return script.<List<Object>>run(redis, ScriptOutputType.MULTI, new String[] {keys.epoch(), keys.seq()},
                            mark.epoch(), Long.toString(mark.seq()))
                    .handle((reply, error) -> {
                        if (error != null) {
                            LOG.warn("event=failover-check-failed reason=\"{}\"", error.toString());
                            return false;
                        }
                        boolean ended = ((Long) reply.get(0)) == 1L;
                        if (ended) {
                            LOG.warn("event=epoch-ended reason={} epoch={} seenSeq={} redisSeq={}",
                                    reason, mark.epoch(), mark.seq(), reply.get(1));
                        }
                        return ended;
                    });
        } catch (RuntimeException e) {
            LOG.warn("event=failover-check-failed reason=\"{}\"", e.toString());
            return CompletableFuture.completedFuture(false);
        }
    }
}
