package io.ssegateway.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventId;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Replay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Runs {@code replay.lua} and turns its answer into a {@link Replay}, deciding gaps as
 * {@link io.ssegateway.core.LocalBroker} does: the id is of another epoch, newer than the head,
 * or older than the age bound (decided in the script, which then reads from the oldest
 * retained); a stream's horizon is newer than the id; or more events than the limit remain.
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

    CompletableFuture<Replay> run(RedisAsyncCommands<String, String> redis, List<Namespace> topics, EventId after, int limit) {
        List<String> args = new ArrayList<>();
        args.add(keys.historyPrefix());
        args.add(keys.horizonPrefix());
        args.add(Long.toString(policy.maxAge().toMillis()));
        // One more than the limit per stream tells whether more than the limit remain.
        args.add(Long.toString(limit + 1L));
        args.add(after == null ? "" : after.epoch());
        args.add(after == null ? "0" : Long.toString(after.millis()));
        args.add(after == null ? "0" : Long.toString(after.seq()));
        for (Namespace t : topics) {
            args.add(t.path());
        }
        return script.<List<Object>>run(redis, ScriptOutputType.MULTI, keys.historyState(), args.toArray(String[]::new))
                .thenApply(reply -> replay(reply, after, limit));
    }

    private static Replay replay(List<Object> reply, EventId after, int limit) {
        String epoch = (String) reply.get(0);
        if (epoch == null) {
            // No history at all: any id a client holds is from a lost one.
            return Replay.empty(after != null);
        }
        boolean foreign = ((Long) reply.get(3)) == 1L;
        boolean gap = foreign;
        EventId from = foreign ? null : after;
        TreeMap<EventId, Event> found = new TreeMap<>();
        EventId oldest = null;
        for (int i = 4; i < reply.size(); i++) {
            List<?> stream = (List<?>) reply.get(i);
            String horizon = (String) stream.get(1);
            if (from != null && !horizon.isEmpty() && EventId.fromPosition(epoch, horizon).isAfter(from)) {
                gap = true;
            }
            EventId first = EventId.fromPosition(epoch, (String) stream.get(2));
            if (oldest == null || oldest.isAfter(first)) {
                oldest = first;
            }
            for (Object e : (List<?>) stream.get(3)) {
                List<?> entry = (List<?>) e;
                EventId id = EventId.fromPosition(epoch, (String) entry.get(0));
                // An event of several namespaces is in several streams: read it once.
                if (!found.containsKey(id)) {
                    add(found, id, (List<?>) entry.get(1), (String) stream.get(0));
                }
            }
        }
        List<Event> events = new ArrayList<>(found.values());
        if (events.size() > limit) {
            events = events.subList(events.size() - limit, events.size());
            gap = true;
        }
        return new Replay(events, gap, oldest);
    }

    private static void add(TreeMap<EventId, Event> found, EventId id, List<?> fields, String namespace) {
        try {
            found.put(id, StreamEntry.event(id, fields));
        } catch (RuntimeException e) {
            // Not written by the gateway; skipping it beats failing every resume that reaches it.
            LOG.warn("event=history-entry-skipped namespace={} id={} reason=\"{}\"", namespace, id, e.getMessage());
        }
    }
}
