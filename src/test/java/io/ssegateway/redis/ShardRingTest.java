package io.ssegateway.redis;

import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a namespace lives when namespaces are spread over Redis shards. */
class ShardRingTest {

    @Test
    void jumpHashGivesThePublishedBuckets() {
        // The values other implementations of Lamping and Veach's function check against.
        assertEquals(0, ShardRing.jump(0, 60));
        assertEquals(55, ShardRing.jump(1, 60));
        assertEquals(46, ShardRing.jump(2, 60));
        assertEquals(520, ShardRing.jump(256, 1024));
        assertEquals(0, ShardRing.jump(0xDEAD10CCL, 1));
    }

    @Test
    void fnv1aIsTheStandard64BitOne() {
        assertEquals(0xcbf29ce484222325L, ShardRing.fnv1a(""));
        assertEquals(0xaf63dc4c8601ec8cL, ShardRing.fnv1a("a"));
        assertEquals(0x85944171f73967e8L, ShardRing.fnv1a("foobar"));
    }

    @Test
    void aShardAddedAtTheEndTakesTreesOnlyFromTheOthersNeverMovesThemBetweenOldShards() {
        int moved = 0;
        for (int i = 0; i < 2000; i++) {
            Namespace n = Namespace.parse("/tree" + i + "/leaf");
            int before = new ShardRing(3).shardOf(n);
            int after = new ShardRing(4).shardOf(n);
            if (before != after) {
                assertEquals(3, after, n + " moved between old shards");
                moved++;
            }
        }
        // About a quarter of the trees move to the new shard, not most of them.
        assertTrue(moved > 350 && moved < 650, "moved " + moved + " of 2000");
    }

    @Test
    void aWholeTreeLivesOnTheShardOfItsFirstSegment() {
        ShardRing ring = new ShardRing(5);
        int pets = ring.shardOf(Namespace.parse("/pets"));
        assertEquals(pets, ring.shardOf(Namespace.parse("/pets/cats/persian")));
        assertEquals(pets, ring.shardOfEvent(List.of(Namespace.parse("/pets/cats"), Namespace.parse("/pets/dogs"))));
        assertEquals(ring.shardOf(Namespace.parse("/a")), ring.shardsOf(List.of(Namespace.parse("/a/b"))).nextSetBit(0));
        assertEquals(5, ring.shardsOf(List.of(Namespace.parse("/a"), Namespace.ROOT)).cardinality());
    }

    @Test
    void anEventOnTreesOfTwoShardsIsRefusedAsInvalidNamespaces() {
        ShardRing ring = new ShardRing(2);
        Namespace a = onShard(ring, 0);
        Namespace b = onShard(ring, 1);
        GatewayException e = assertThrows(GatewayException.class, () -> ring.shardOfEvent(List.of(a, b)));
        assertEquals(Reason.INVALID_NAMESPACE, e.reason());
        assertTrue(e.getMessage().contains("different Redis shards"), e.getMessage());
    }

    /** The first namespace {@code /r0}, {@code /r1}… whose tree is on {@code shard}. */
    static Namespace onShard(ShardRing ring, int shard) {
        for (int i = 0; ; i++) {
            Namespace n = Namespace.parse("/r" + i);
            if (ring.shardOf(n) == shard) {
                return n;
            }
        }
    }
}
