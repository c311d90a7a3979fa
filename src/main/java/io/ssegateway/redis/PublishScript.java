package io.ssegateway.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.LocalBroker;
import io.ssegateway.core.Namespace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs {@code publish.lua}: gives an event its id, adds it to the history stream of each of its
 * namespaces (trimmed by count and age, the horizon recorded), and publishes its envelope on
 * each namespace channel, all in one atomic step.
 */
final class PublishScript {
    private final LuaScript script = LuaScript.named("publish");
    private final RedisKeys keys;
    private final HistoryPolicy policy;

    PublishScript(RedisKeys keys, HistoryPolicy policy) {
        this.keys = keys;
        this.policy = policy;
    }

    LuaScript script() {
        return script;
    }

    CompletableFuture<EventId> run(RedisAsyncCommands<String, String> redis, EventDraft draft) {
        List<Namespace> namespaces = draft.sortedNamespaces();
        Envelope.Parts envelope = Envelope.encode(draft);
        List<String> args = new ArrayList<>();
        // A fresh candidate each time: one reused after a loss would bring back an old epoch.
        args.add(LocalBroker.newEpoch());
        args.add(Integer.toString(policy.maxLength()));
        args.add(Long.toString(policy.maxAge().toMillis()));
        args.add(keys.historyPrefix());
        args.add(keys.horizonPrefix());
        args.add(keys.prefix());
        args.add(envelope.head());
        args.add(envelope.tail());
        args.add(Integer.toString(namespaces.size()));
        for (Namespace n : namespaces) {
            args.add(n.path());
        }
        args.addAll(StreamEntry.fields(draft));
        return script.<List<Object>>run(redis, ScriptOutputType.MULTI, keys.historyState(), args.toArray(String[]::new))
                .thenApply(reply -> new EventId((String) reply.get(0),
                        Long.parseLong((String) reply.get(1)), Long.parseLong((String) reply.get(2))));
    }
}
