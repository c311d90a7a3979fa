package io.ssegateway.redis;

import io.ssegateway.core.BrokerListener;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventId;
import io.ssegateway.core.ShardCursor;

import java.util.Arrays;

/**
 * Joins the live events of every shard's pub/sub link into one sequence for the hub, each with
 * the id a stream reading all shards would show: its own position and the last one this instance
 * has seen on every other shard ({@link ShardCursor}). That id is made once per event and
 * instance, so all streams share its frame. An event published to several namespaces arrives
 * once per channel and passes once.
 *
 * <p>Threads: each link calls on its own thread; the hub must be called one event at a time, so
 * this serialises them under its lock (the hub only hands events on, it never blocks).
 */
final class ShardListener {
    private final BrokerListener hub;
    private ShardCursor seen;

    ShardListener(BrokerListener hub, int shards) {
        this.hub = hub;
        this.seen = new ShardCursor(-1, Arrays.asList(new EventId[shards]));
    }

    /** What shard {@code shard}'s link reports to. */
    BrokerListener of(int shard) {
        return new BrokerListener() {
            @Override
            public void onEvent(Event event) {
                deliver(shard, event);
            }

            @Override
            public void onResync() {
                resync();
            }
        };
    }

    /**
     * Where the shards stood before the first live event, for those not seen live yet: a stream's
     * first id then carries a position for every shard, not an unknown one that would replay a
     * shard's whole history on resume.
     */
    synchronized void startFrom(EventId heads) {
        if (heads == null || heads.cursor() == null) {
            return;
        }
        for (int i = 0; i < seen.size(); i++) {
            EventId head = heads.cursor().at(i);
            if (seen.at(i) == null && head != null) {
                seen = seen.advance(i, head);
            }
        }
        seen = new ShardCursor(-1, seen.positions());
    }

    private synchronized void deliver(int shard, Event event) {
        EventId id = event.id();
        if (id == null) {
            // A raw event (redis-cli PUBLISH) is in no history: it has no position to carry.
            hub.onEvent(event);
            return;
        }
        EventId last = seen.at(shard);
        if (last != null && id.sameEpoch(last) && !id.isAfter(last)) {
            return;
        }
        seen = seen.advance(shard, id);
        hub.onEvent(event.withId(EventId.ofShard(seen)));
    }

    private synchronized void resync() {
        hub.onResync();
    }
}
