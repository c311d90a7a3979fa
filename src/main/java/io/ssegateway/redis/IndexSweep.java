package io.ssegateway.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps the namespace index from growing without bound: a history stream expires on its own
 * when its namespace goes idle, but its entry in the index would stay. Each step runs
 * {@code sweep.lua} on one batch, resuming where the previous step stopped.
 */
final class IndexSweep {
    private static final Logger LOG = LoggerFactory.getLogger(IndexSweep.class);
    /** Members checked per step: small enough that one step never holds Redis up noticeably. */
    private static final int BATCH = 256;

    private final LuaScript script = LuaScript.named("sweep");
    private final RedisKeys keys;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile String cursor = "0";

    IndexSweep(RedisKeys keys) {
        this.keys = keys;
    }

    LuaScript script() {
        return script;
    }

    void step(RedisAsyncCommands<String, String> redis) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        script.<String>run(redis, ScriptOutputType.VALUE, new String[] {keys.index()},
                        keys.historyPrefix(), cursor, Integer.toString(BATCH))
                .whenComplete((next, error) -> {
                    if (error == null) {
                        cursor = next;
                    } else {
                        LOG.debug("event=index-sweep-failed reason=\"{}\"", error.toString());
                    }
                    running.set(false);
                });
    }
}
