package io.ssegateway.redis;

import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Reason;

/**
 * Every Redis key and channel name the gateway uses, all under one prefix P
 * ({@code sse.channel-prefix}, default {@code sse:}); {@code docs/redis.md} lists them.
 *
 * <p>Names derived from a namespace are P followed by the path, which always starts with
 * {@code /}; the gateway's own names are P followed by {@code @}. The two can never meet, and
 * the live pattern {@code P/*} matches namespace channels only.
 */
final class RedisKeys {
    private final String prefix;

    RedisKeys(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix is required");
        }
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** The epoch of the current history (a string); a missing epoch means a lost history. */
    String epoch() {
        return prefix + "@epoch";
    }

    /** The sequence of the newest id given out (a counter shared by all namespaces). */
    String seq() {
        return prefix + "@seq";
    }

    /** The millis of the newest id given out, so ids never go back when the clock does. */
    String millis() {
        return prefix + "@millis";
    }

    /** A sorted set of the namespaces that have history, all scored 0, for prefix lookup. */
    String index() {
        return prefix + "@ns";
    }

    /** The keys the history scripts take, in their order: epoch, seq, millis, index. */
    String[] historyState() {
        return new String[] {epoch(), seq(), millis(), index()};
    }

    /** Prefix of the history streams: {@code P@history:/pets/cats}. */
    String historyPrefix() {
        return prefix + "@history:";
    }

    /** Prefix of the horizons, the newest id trimmed from a stream: {@code P@trimmed:/pets/cats}. */
    String horizonPrefix() {
        return prefix + "@trimmed:";
    }

    String history(Namespace namespace) {
        return historyPrefix() + namespace.path();
    }

    String horizon(Namespace namespace) {
        return horizonPrefix() + namespace.path();
    }

    /** The channel of a namespace, as the specification names it: {@code P/pets/cats}. */
    String channel(Namespace namespace) {
        return prefix + namespace.path();
    }

    /** The pattern of every namespace channel, with glob characters of the prefix escaped. */
    String pattern() {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                p.append('\\');
            }
            p.append(c);
        }
        return p.append("/*").toString();
    }

    /** The namespace of a channel matched by {@link #pattern()}; throws when it is not valid. */
    Namespace namespaceOf(String channel) {
        if (!channel.startsWith(prefix)) {
            throw new GatewayException(Reason.INVALID_NAMESPACE, "channel is outside the prefix");
        }
        return Namespace.parse(channel.substring(prefix.length()));
    }

    /** The channel on which an instance sends itself probes to prove its pub/sub link works. */
    String probeChannel(String linkId) {
        return prefix + "@probe:" + linkId;
    }

    /** The channel on which instances announce changes of their client counts. */
    String countsChannel() {
        return prefix + "@counts";
    }

    /** A set of the ids of instances that registered; entries whose key expired are stale. */
    String instances() {
        return prefix + "@instances";
    }

    /** One instance's last report (JSON), expiring unless renewed. */
    String instance(String id) {
        return prefix + "@instance:" + id;
    }
}
