package io.ssegateway.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventId;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Replay;
import io.ssegateway.core.Reason;
import io.ssegateway.core.ReplayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Runs {@code replay.lua} and turns its answer into a {@link Replay}, deciding gaps as
 * {@link io.ssegateway.core.LocalBroker} does: the id is of another epoch, newer than the head,
 * or older than the age bound (the script then reads from the oldest retained); a stream's
 * horizon is at or past where the replay starts; the time asked for is older than the age
 * bound; or more events than the limit remain. The script merges the streams, so a read
 * holds at most the limit and one, in pages of at most {@link #PAGE}.
 */
final class ReplayScript {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayScript.class);
    /**
     * Entries one script call merges. A script runs alone in Redis: one call for a whole replay
     * of 10,000 entries over 100 namespaces ran 0.2 s on a quiet machine and up to 2.8 s on a
     * busy one, and every publish of every instance waited behind it (publish p99 0.5 s, the
     * later replays past the 3 s command timeout). A page of 1,000 took 28 ms there.
     */
    static final int PAGE = 1000;

    private final LuaScript script = LuaScript.named("replay");
    private final RedisKeys keys;
    private final HistoryPolicy policy;

    ReplayScript(RedisKeys keys, HistoryPolicy policy) {
        this.keys = keys;
        this.policy = policy;
    }

    LuaScript script() {
        return script;
    }

    /**
     * Reads the retained events after {@code after}, or published at or after
     * {@code sinceMillis} (when {@code after} is null and it is not negative), or the newest.
     * The read is a series of script calls of at most {@link #PAGE} entries each, newest first,
     * each continuing below the last; the reply is whole when all have answered.
     */
    CompletableFuture<Replay> run(RedisAsyncCommands<String, String> redis, ReplayQueue.Key query) {
        // One more than the limit tells whether more than the limit remain.
        return page(redis, query, new Pages(query.limit() + 1), "")
                .thenApply(pages -> pages.replay(query.after() != null, query.limit()));
    }

    private CompletableFuture<Pages> page(RedisAsyncCommands<String, String> redis, ReplayQueue.Key query,
                                          Pages pages, String below) {
        int wanted = Math.min(PAGE, pages.stillWanted());
        return script.<List<Object>>run(redis, ScriptOutputType.MULTI, keys.historyState(), args(query, wanted, below))
                .thenCompose(reply -> {
                    String last = pages.take(reply, wanted);
                    return last == null ? CompletableFuture.completedFuture(pages) : page(redis, query, pages, last);
                });
    }

    private String[] args(ReplayQueue.Key query, int wanted, String below) {
        EventId after = query.after();
        List<String> args = new ArrayList<>();
        args.add(keys.historyPrefix());
        args.add(keys.horizonPrefix());
        args.add(Long.toString(policy.maxAge().toMillis()));
        args.add(Integer.toString(wanted));
        args.add(after == null ? "" : after.epoch());
        args.add(after == null ? "0" : Long.toString(after.millis()));
        args.add(after == null ? "0" : Long.toString(after.seq()));
        args.add(after == null && query.sinceMillis() >= 0 ? Long.toString(query.sinceMillis()) : "");
        args.add(below);
        for (Namespace t : query.topics()) {
            args.add(t.path());
        }
        return args.toArray(String[]::new);
    }

    /** The pages of one read as they arrive: entries newest first, the gap seen by any page. */
    private static final class Pages {
        private final int wanted;
        private final List<List<?>> entries = new ArrayList<>();
        private String epoch;
        private boolean started;
        private boolean gap;
        private String oldest = "";

        Pages(int wanted) {
            this.wanted = wanted;
        }

        int stillWanted() {
            return wanted - entries.size();
        }

        /** Adds a page; returns the position to continue below, or null when the read is complete. */
        String take(List<Object> reply, int asked) {
            String pageEpoch = (String) reply.get(0);
            if (started && !Objects.equals(epoch, pageEpoch)) {
                // The history was lost between two pages (a flush, a failover): what the earlier
                // pages read belongs to a life of the history that is gone. The client is closed
                // and resumes, which then reads the new history whole.
                throw new GatewayException(Reason.BROKER_UNAVAILABLE, "the history changed while a replay read it");
            }
            started = true;
            epoch = pageEpoch;
            if (epoch == null) {
                return null;
            }
            // Pages are separate moments: a trim between two of them moves a horizon, which the
            // later page sees, so the replay says gap instead of leaving out what was trimmed.
            gap |= ((Long) reply.get(1)) == 1L || ((Long) reply.get(2)) == 1L;
            oldest = (String) reply.get(3);
            List<?> page = (List<?>) reply.get(4);
            for (Object entry : page) {
                entries.add((List<?>) entry);
            }
            if (page.size() < asked || stillWanted() <= 0) {
                return null;
            }
            return (String) ((List<?>) page.get(page.size() - 1)).get(0);
        }

        Replay replay(boolean fromId, int limit) {
            if (epoch == null) {
                // No history at all: any id a client holds is from a lost one.
                return Replay.empty(fromId);
            }
            List<List<?>> kept = entries;
            boolean cut = gap;
            if (kept.size() > limit) {
                kept = kept.subList(0, limit);
                cut = true;
            }
            List<Event> events = new ArrayList<>(kept.size());
            // Newest first in the reply, oldest first in the replay.
            for (int i = kept.size() - 1; i >= 0; i--) {
                List<?> entry = kept.get(i);
                add(events, EventId.fromPosition(epoch, (String) entry.get(0)), (List<?>) entry.get(1));
            }
            return new Replay(events, cut, oldest.isEmpty() ? null : EventId.fromPosition(epoch, oldest));
        }
    }

    private static void add(List<Event> events, EventId id, List<?> fields) {
        try {
            events.add(StreamEntry.event(id, fields));
        } catch (RuntimeException e) {
            // Not written by the gateway; skipping it beats failing every resume that reaches it.
            LOG.warn("event=history-entry-skipped id={} reason=\"{}\"", id, e.getMessage());
        }
    }
}
