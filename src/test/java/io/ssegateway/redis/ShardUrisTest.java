package io.ssegateway.redis;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading {@code SSE_REDIS_SHARDS}, whose Sentinel URIs hold commas of their own. */
class ShardUrisTest {

    @Test
    void aSentinelUrisHostListStaysOneShard() {
        assertEquals(List.of("redis://a:6379", "redis-sentinel://s1:26379,s2:26379,s3:26379?sentinelMasterId=m",
                        "rediss://:pw@c:6380"),
                ShardUris.parse(" redis://a:6379 , redis-sentinel://s1:26379,s2:26379,s3:26379?sentinelMasterId=m,rediss://:pw@c:6380"));
    }

    @Test
    void aListThatDoesNotStartWithAUriOrNamesAServerTwiceIsRefusedWithoutItsPassword() {
        IllegalArgumentException noScheme = assertThrows(IllegalArgumentException.class, () -> ShardUris.parse("a:6379,redis://b"));
        assertTrue(noScheme.getMessage().contains("must start with a Redis URI"), noScheme.getMessage());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ShardUris.parse("redis://u:secret@a:6379,redis://u:secret@a:6379"));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
        assertFalse(twice.getMessage().contains("secret"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShardUris.parse(" , "));
    }

    @Test
    void oneRedisIsRefusedWithWhatToSetInstead() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> ShardUris.parse("redis-sentinel://s1:26379,s2:26379?sentinelMasterId=m"));
        assertTrue(one.getMessage().contains("set REDIS_URI for one"), one.getMessage());
    }
}
