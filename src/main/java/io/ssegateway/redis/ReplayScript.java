package io.ssegateway.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventId;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Replay;
import io.ssegateway.core.ReplayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs {@code replay.lua} and turns its answer into a {@link Replay}, deciding gaps as
 * {@link io.ssegateway.core.LocalBroker} does: the id is of another epoch, newer than the head,
 * or older than the age bound (the script then reads from the oldest retained); a stream's
 * horizon is at or past where the replay starts; the time asked for is older than the age
 * bound; or more events than the limit remain. The script merges the streams, so the reply
 * holds at most the limit and one.
 */
final class ReplayScript {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayScript.class);

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
     */
    CompletableFuture<Replay> run(RedisAsyncCommands<String, String> redis, ReplayQueue.Key query) {
        EventId after = query.after();
        List<String> args = new ArrayList<>();
        args.add(keys.historyPrefix());
        args.add(keys.horizonPrefix());
        args.add(Long.toString(policy.maxAge().toMillis()));
        // One more than the limit tells whether more than the limit remain.
        args.add(Long.toString(query.limit() + 1L));
        args.add(after == null ? "" : after.epoch());
        args.add(after == null ? "0" : Long.toString(after.millis()));
        args.add(after == null ? "0" : Long.toString(after.seq()));
        args.add(after == null && query.sinceMillis() >= 0 ? Long.toString(query.sinceMillis()) : "");
        for (Namespace t : query.topics()) {
            args.add(t.path());
        }
        return script.<List<Object>>run(redis, ScriptOutputType.MULTI, keys.historyState(), args.toArray(String[]::new))
                .thenApply(reply -> replay(reply, after != null, query.limit()));
    }

    private static Replay replay(List<Object> reply, boolean fromId, int limit) {
        String epoch = (String) reply.get(0);
        if (epoch == null) {
            // No history at all: any id a client holds is from a lost one.
            return Replay.empty(fromId);
        }
        boolean gap = ((Long) reply.get(1)) == 1L || ((Long) reply.get(2)) == 1L;
        String oldest = (String) reply.get(3);
        List<?> entries = (List<?>) reply.get(4);
        if (entries.size() > limit) {
            entries = entries.subList(0, limit);
            gap = true;
        }
        List<Event> events = new ArrayList<>(entries.size());
        // Newest first in the reply, oldest first in the replay.
        for (int i = entries.size() - 1; i >= 0; i--) {
            List<?> entry = (List<?>) entries.get(i);
            add(events, EventId.fromPosition(epoch, (String) entry.get(0)), (List<?>) entry.get(1));
        }
        return new Replay(events, gap, oldest.isEmpty() ? null : EventId.fromPosition(epoch, oldest));
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
