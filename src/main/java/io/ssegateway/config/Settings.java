package io.ssegateway.config;

/**
 * Names of the settings that code refers to by name ({@code @Requires}, prefixes of the
 * configuration records). The defaults are not here: each lives on its record component only.
 */
public final class Settings {
    /** Prefix of the gateway's own settings ({@code SSE_*} in the environment). */
    public static final String PREFIX = "sse";
    /** Micronaut's Redis address ({@code REDIS_URI}); set, it chooses the Redis broker. */
    public static final String REDIS_URI = "redis.uri";
    /**
     * {@code SSE_REDIS_SHARDS}: several Redis URIs; set, it replaces {@link #REDIS_URI} and chooses
     * the sharded broker. It has no line in {@code application.properties} on purpose: an empty
     * default would count as set.
     */
    public static final String REDIS_SHARDS = PREFIX + ".redis.shards";
    /** {@code SSE_DEMO_ENABLED}: the demo streams are served unless it is {@code false}. */
    public static final String DEMO_ENABLED = PREFIX + ".demo-enabled";
    public static final String CONTROL = PREFIX + ".control";
    public static final String FIFO = PREFIX + ".fifo";
    public static final String HISTORY = PREFIX + ".history";
    public static final String IDEMPOTENCY = PREFIX + ".idempotency";
    public static final String REDIS = PREFIX + ".redis";

    private Settings() {
    }
}
