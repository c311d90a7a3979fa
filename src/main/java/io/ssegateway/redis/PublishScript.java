package io.ssegateway.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.EventId;
import io.ssegateway.core.Event;
import io.ssegateway.core.HistoryPolicy;
import io.ssegateway.core.KeyedResult;
import io.ssegateway.core.KeyedStep;
import io.ssegateway.core.LocalBroker;
import io.ssegateway.core.Namespace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs {@code publish.lua}: gives an event its id, adds it to the history stream of each of its
 * namespaces (trimmed by count and age, the horizon recorded), and publishes its envelope on
 * each namespace channel, all in one atomic step; with an {@code Idempotency-Key}, also checks and
 * extends the key's record ({@code <prefix>@idem:<scoped key>}) in that step.
 */
final class PublishScript {
    private final LuaScript script = LuaScript.named("publish");
    private final RedisKeys keys;
    private final HistoryPolicy policy;
    private final Duration lease;
    private final Envelope envelope;

    /**
     * @param lease how long an attempt that published part of a batch owns its key: longer than
     *     the gap between its steps (one command each), so only an attempt that is gone loses it
     */
    PublishScript(RedisKeys keys, HistoryPolicy policy, Duration lease, Envelope envelope) {
        this.envelope = envelope;
        this.keys = keys;
        this.policy = policy;
        this.lease = lease;
    }

    LuaScript script() {
        return script;
    }

    CompletableFuture<EventId> run(RedisAsyncCommands<String, String> redis, EventDraft draft) {
        return script.<List<Object>>run(redis, ScriptOutputType.MULTI, keys.historyState(), args(draft, null))
                .thenApply(reply -> id(reply, 0));
    }

    CompletableFuture<KeyedResult> run(RedisAsyncCommands<String, String> redis, EventDraft draft, KeyedStep step) {
        String[] state = keys.historyState();
        String[] withRecord = java.util.Arrays.copyOf(state, state.length + 1);
        withRecord[state.length] = keys.prefix() + "@idem:" + step.key().scoped();
        return script.<List<Object>>run(redis, ScriptOutputType.MULTI, withRecord, args(draft, step))
                .thenApply(reply -> switch ((String) reply.get(0)) {
                    case "published" -> new KeyedResult.Published(new Event(id(reply, 1), draft));
                    case "done" -> new KeyedResult.AlreadyPublished(parse((String) reply.get(1)));
                    case "completed" -> new KeyedResult.Completed(((List<?>) reply.get(1)).stream()
                            .map(id -> parse((String) id)).toList());
                    case "mismatch" -> new KeyedResult.Mismatch();
                    case "in-use" -> new KeyedResult.InUse();
                    default -> throw new IllegalStateException("unexpected reply of the publish script: " + reply);
                });
    }

    private String[] args(EventDraft draft, KeyedStep step) {
        List<Namespace> namespaces = draft.sortedNamespaces();
        Envelope.Parts parts = envelope.encode(draft);
        List<String> args = new ArrayList<>();
        // A fresh candidate each time: one reused after a loss would bring back an old epoch.
        args.add(LocalBroker.newEpoch());
        args.add(Integer.toString(policy.maxLength()));
        args.add(Long.toString(policy.maxAge().toMillis()));
        args.add(keys.historyPrefix());
        args.add(keys.horizonPrefix());
        args.add(keys.prefix());
        args.add(parts.head());
        args.add(parts.tail());
        args.add(Integer.toString(namespaces.size()));
        for (Namespace n : namespaces) {
            args.add(n.path());
        }
        if (step == null) {
            args.addAll(List.of("", "", "", "", "", ""));
        } else {
            args.add(step.key().fingerprint());
            args.add(step.attempt());
            args.add(Integer.toString(step.index()));
            args.add(Integer.toString(step.total()));
            args.add(Long.toString(step.key().window().toMillis()));
            args.add(Long.toString(lease.toMillis()));
        }
        args.addAll(StreamEntry.fields(draft));
        return args.toArray(String[]::new);
    }

    private static EventId id(List<Object> reply, int from) {
        return new EventId((String) reply.get(from), Long.parseLong((String) reply.get(from + 1)),
                Long.parseLong((String) reply.get(from + 2)));
    }

    private static EventId parse(String id) {
        EventId parsed = EventId.parseOrNull(id);
        if (parsed == null) {
            throw new IllegalStateException("not an event id in an Idempotency-Key record: " + id);
        }
        return parsed;
    }
}
