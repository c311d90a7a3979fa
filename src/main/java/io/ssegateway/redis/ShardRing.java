package io.ssegateway.redis;

import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;

/**
 * Which shard holds a namespace: the jump consistent hash (Lamping and Veach, 2014) of the
 * FNV-1a 64-bit hash of its first segment, over the number of shards, as Centrifugo's Redis
 * engine places its channels. A whole tree ({@code /pets} and everything under it) lives on one
 * shard, so a subscription to any namespace but {@code /} reads one shard, and a publish to one
 * tree is one atomic script on one Redis. {@code /} itself hashes the empty segment.
 *
 * <p>Appending a shard to the list moves only about 1/n of the trees (to the new shard);
 * reordering the list moves most of them. Ids of streams from before such a change no longer
 * fit (another count of positions), and their resume says history-gap.
 */
final class ShardRing {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final int size;

    ShardRing(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a ring needs a shard");
        }
        this.size = size;
    }

    int size() {
        return size;
    }

    /** The shard of a namespace's tree. */
    int shardOf(Namespace namespace) {
        return jump(fnv1a(namespace.isRoot() ? "" : namespace.segments().get(0)), size);
    }

    /**
     * The one shard of an event's namespaces. An event lives on one shard: two Redis servers
     * cannot store and publish it in one atomic step under one id, so namespaces of different
     * trees on different shards are refused, before anything is published.
     */
    int shardOfEvent(List<Namespace> namespaces) {
        int shard = shardOf(namespaces.get(0));
        for (Namespace n : namespaces) {
            if (shardOf(n) != shard) {
                throw new GatewayException(Reason.INVALID_NAMESPACE, "namespaces " + namespaces.get(0) + " and " + n
                        + " are on different Redis shards (SSE_REDIS_SHARDS); publish one event to each");
            }
        }
        return shard;
    }

    /** The shards a subscription reads: every one for a topic {@code /}, else its trees'. */
    BitSet shardsOf(List<Namespace> topics) {
        BitSet shards = new BitSet(size);
        for (Namespace t : topics) {
            if (t.isRoot()) {
                shards.set(0, size);
                return shards;
            }
            shards.set(shardOf(t));
        }
        return shards;
    }

    static long fnv1a(String segment) {
        long hash = FNV_OFFSET;
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** Lamping and Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm", figure 1. */
    static int jump(long key, int buckets) {
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * 2862933555777941757L + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }
}
