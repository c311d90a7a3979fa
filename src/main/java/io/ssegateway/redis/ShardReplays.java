package io.ssegateway.redis;

import io.ssegateway.core.Event;
import io.ssegateway.core.EventId;
import io.ssegateway.core.Replay;
import io.ssegateway.core.ShardCursor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merges the replays of several shards into the one a stream writes. Within a shard the order
 * is the shard's id order; between shards there is no common order, so events are interleaved by
 * the time in their ids (a stable sort, which keeps each shard's order). Each event gets the id
 * that says where the stream then stands on every shard: the cursor it resumed from, advanced
 * event by event. Over the limit, the oldest go and the stream is told of a gap, as on one Redis.
 */
final class ShardReplays {
    private record Entry(int shard, Event event) {
    }

    private ShardReplays() {
    }

    /**
     * @param replays one per shard, null for a shard the topics do not read
     * @param from the cursor the stream resumes from (unknown positions null)
     * @param gap a gap whatever the shards say (the id given was no cursor of this ring)
     */
    static Replay merge(List<Replay> replays, ShardCursor from, boolean gap, int limit) {
        List<Entry> all = new ArrayList<>();
        EventId oldest = null;
        for (int shard = 0; shard < replays.size(); shard++) {
            Replay r = replays.get(shard);
            if (r == null) {
                continue;
            }
            gap |= r.gap();
            for (Event e : r.events()) {
                all.add(new Entry(shard, e));
            }
            EventId o = r.oldestRetained();
            if (o != null && (oldest == null || o.millis() < oldest.millis())) {
                oldest = o;
            }
        }
        all.sort(Comparator.comparingLong((Entry e) -> e.event().id().millis()).thenComparingInt(Entry::shard));
        if (all.size() > limit) {
            all = all.subList(all.size() - limit, all.size());
            gap = true;
        }
        List<Event> events = new ArrayList<>(all.size());
        ShardCursor at = from;
        for (Entry e : all) {
            at = at.advance(e.shard(), e.event().id());
            events.add(e.event().withId(EventId.ofShard(at)));
        }
        return new Replay(events, gap, oldest);
    }
}
