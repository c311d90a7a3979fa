package io.ssegateway.redis;

import io.ssegateway.core.Broker;
import io.ssegateway.core.BrokerListener;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.KeyedResult;
import io.ssegateway.core.KeyedStep;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;
import io.ssegateway.core.Replay;
import io.ssegateway.core.ShardCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The broker over several independent Redis servers ({@code SSE_REDIS_SHARDS}): each namespace
 * tree lives on one shard ({@link ShardRing}), whose {@link RedisBroker} keeps its history and
 * publishes it, with every promise of {@link Broker} for that tree. This instance holds one
 * pub/sub link per shard.
 *
 * <p>Across shards there is no common order, so a stream that reads several (a subscription to
 * {@code /}, or topics in several trees) is ordered per shard, and its ids are
 * {@link ShardCursor}s, a position for every shard: a resume replays each shard after its own
 * position, exactly, on any instance. An event is on one shard: one to namespaces of trees on
 * different shards is refused before anything is published ({@link ShardRing#shardOfEvent}).
 * The id a publish answers is the event's position on its shard.
 */
public final class ShardedBroker implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger(ShardedBroker.class);

    private final List<RedisBroker> shards;
    private final ShardRing ring;
    private final AutoCloseable clients;

    /** @param clients closed after the brokers: the Redis clients they run on */
    ShardedBroker(List<RedisBroker> shards, AutoCloseable clients) {
        this.shards = List.copyOf(shards);
        this.ring = new ShardRing(shards.size());
        this.clients = clients;
    }

    /** The shard brokers in ring order (the first also keeps the instance registry). */
    public List<RedisBroker> shards() {
        return shards;
    }

    /** Which shard a namespace's tree lives on, counted from 0 in {@code SSE_REDIS_SHARDS}. */
    public int shardOf(Namespace namespace) {
        return ring.shardOf(namespace);
    }

    @Override
    public CompletableFuture<Event> publish(EventDraft draft) {
        return routed(draft, b -> b.publish(draft));
    }

    @Override
    public CompletableFuture<KeyedResult> publish(EventDraft draft, KeyedStep step) {
        // The key's record lives beside the event, on the event's shard, checked in the same
        // script: a batch under one key stays exact as long as its events share a shard.
        return routed(draft, b -> b.publish(draft, step));
    }

    @Override
    public void checkPublishable(List<EventDraft> drafts, boolean keyed) {
        int first = -1;
        for (EventDraft d : drafts) {
            int shard = ring.shardOfEvent(d.namespaces());
            if (keyed && first >= 0 && shard != first) {
                throw new GatewayException(Reason.INVALID_NAMESPACE, "a batch with an Idempotency-Key must stay on one "
                        + "Redis shard (SSE_REDIS_SHARDS): its key is recorded beside its events; send one per shard");
            }
            first = shard;
        }
    }

    private <T> CompletableFuture<T> routed(EventDraft draft, Function<RedisBroker, CompletableFuture<T>> call) {
        try {
            return call.apply(shards.get(ring.shardOfEvent(draft.namespaces())));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Replay> replay(List<Namespace> topics, EventId after, int limit) {
        ShardCursor from = cursorOf(after);
        // An id that is no cursor of this ring (from one Redis, or another number of shards)
        // names no position here: a gap, then the newest, as for an unknown id on one Redis.
        boolean foreign = after != null && from == null;
        ShardCursor start = from != null ? from : empty();
        return perShard(topics, (b, shard, own) -> b.replay(own, start.at(shard), limit), start, foreign, limit);
    }

    @Override
    public CompletableFuture<Replay> replaySince(List<Namespace> topics, long sinceMillis, int limit) {
        return perShard(topics, (b, shard, own) -> b.replaySince(own, sinceMillis, limit), empty(), false, limit);
    }

    private interface ShardRead {
        CompletableFuture<Replay> read(RedisBroker broker, int shard, List<Namespace> topics);
    }

    private CompletableFuture<Replay> perShard(List<Namespace> topics, ShardRead read, ShardCursor from,
                                               boolean gap, int limit) {
        BitSet wanted = ring.shardsOf(topics);
        List<CompletableFuture<Replay>> parts = new ArrayList<>();
        for (int shard = 0; shard < shards.size(); shard++) {
            if (!wanted.get(shard)) {
                parts.add(CompletableFuture.completedFuture(null));
                continue;
            }
            List<Namespace> own = topicsOn(topics, shard);
            try {
                parts.add(read.read(shards.get(shard), shard, own));
            } catch (RuntimeException e) {
                parts.add(CompletableFuture.failedFuture(e));
            }
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(done ->
                ShardReplays.merge(parts.stream().map(CompletableFuture::join).toList(), from, gap, limit));
    }

    /** The topics that read {@code shard}: {@code /} reads every shard, a tree only its own. */
    private List<Namespace> topicsOn(List<Namespace> topics, int shard) {
        List<Namespace> own = new ArrayList<>();
        for (Namespace t : topics) {
            if (t.isRoot() || ring.shardOf(t) == shard) {
                own.add(t);
            }
        }
        return own;
    }

    private ShardCursor cursorOf(EventId after) {
        if (after == null || after.cursor() == null || after.cursor().size() != shards.size()) {
            return null;
        }
        return after.cursor();
    }

    private ShardCursor empty() {
        return new ShardCursor(-1, Arrays.asList(new EventId[shards.size()]));
    }

    /** Where every shard stands; null when none has given out an id yet. */
    @Override
    public CompletableFuture<EventId> head() {
        List<CompletableFuture<EventId>> heads = shards.stream().map(RedisBroker::head).toList();
        return CompletableFuture.allOf(heads.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            EventId[] at = heads.stream().map(CompletableFuture::join).toArray(EventId[]::new);
            boolean any = Arrays.stream(at).anyMatch(h -> h != null);
            return any ? EventId.ofCursor(new ShardCursor(-1, Arrays.asList(at))) : null;
        });
    }

    @Override
    public void listen(BrokerListener listener) {
        ShardListener joined = new ShardListener(listener, shards.size());
        for (int shard = 0; shard < shards.size(); shard++) {
            shards.get(shard).listen(joined.of(shard));
        }
        head().whenComplete((heads, error) -> joined.startFrom(heads));
    }

    /** False while any shard is: its trees can neither be published to nor delivered. */
    @Override
    public boolean isHealthy() {
        for (RedisBroker b : shards) {
            if (!b.isHealthy()) {
                return false;
            }
        }
        return true;
    }

    /** Health of each shard, in ring order, for readiness details. */
    public List<Boolean> shardHealth() {
        return shards.stream().map(RedisBroker::isHealthy).toList();
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public void close() {
        shards.forEach(RedisBroker::close);
        try {
            clients.close();
        } catch (Exception e) {
            LOG.warn("event=redis-client-close-failed reason=\"{}\"", e.toString());
        }
    }
}
