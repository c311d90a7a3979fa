package io.ssegateway.redis;

import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The names docs/redis.md promises. */
class RedisKeysTest {
    private static final Namespace CATS = Namespace.parse("/pets/cats");
    private final RedisKeys keys = new RedisKeys("sse:");

    @Test
    void namesAreThoseOfTheDocumentation() {
        assertEquals("sse:/pets/cats", keys.channel(CATS));
        assertEquals("sse:/", keys.channel(Namespace.ROOT));
        assertEquals("sse:@history:/pets/cats", keys.history(CATS));
        assertEquals("sse:@trimmed:/pets/cats", keys.horizon(CATS));
        assertEquals("sse:@epoch", keys.epoch());
        assertEquals("sse:@seq", keys.seq());
        assertEquals("sse:@millis", keys.millis());
        assertEquals("sse:@ns", keys.index());
        assertEquals("sse:@probe:x1", keys.probeChannel("x1"));
        assertEquals("sse:@counts", keys.countsChannel());
        assertEquals("sse:@instances", keys.instances());
        assertEquals("sse:@instance:a-1", keys.instance("a-1"));
        assertEquals("sse:/*", keys.pattern());
    }

    @Test
    void globCharactersOfThePrefixAreEscapedInThePattern() {
        assertEquals("a\\*b\\?\\[c\\]\\\\:/*", new RedisKeys("a*b?[c]\\:").pattern());
    }

    @Test
    void channelNamesTheirNamespaceOrAreRefused() {
        assertEquals(CATS, keys.namespaceOf("sse:/pets/cats"));
        assertEquals(Namespace.ROOT, keys.namespaceOf("sse:/"));
        assertThrows(GatewayException.class, () -> keys.namespaceOf("sse://x"));
        assertThrows(GatewayException.class, () -> keys.namespaceOf("sse:/a/./b"));
        assertThrows(GatewayException.class, () -> keys.namespaceOf("other:/a"));
    }
}
