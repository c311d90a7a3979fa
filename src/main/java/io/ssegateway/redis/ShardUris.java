package io.ssegateway.redis;

import io.ssegateway.core.ShardCursor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code SSE_REDIS_SHARDS}: Redis URIs separated by commas, each of any form
 * {@code REDIS_URI} takes. A Sentinel URI has commas of its own
 * ({@code redis-sentinel://h1:26379,h2:26379?sentinelMasterId=m}), so a piece that does not
 * start with a scheme continues the URI before it instead of starting a shard.
 */
final class ShardUris {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

    private ShardUris() {
    }

    static List<String> parse(String list) {
        List<String> uris = new ArrayList<>();
        for (String piece : list.split(",")) {
            String p = piece.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (SCHEME.matcher(p).matches()) {
                uris.add(p);
            } else if (uris.isEmpty()) {
                throw new IllegalArgumentException("SSE_REDIS_SHARDS must start with a Redis URI (redis://, rediss:// or "
                        + "redis-sentinel://), not " + redacted(p));
            } else {
                uris.set(uris.size() - 1, uris.get(uris.size() - 1) + "," + p);
            }
        }
        if (uris.size() == 1) {
            // Ids over shards carry a position per shard; with one there is nothing to shard, and
            // its ids would differ from REDIS_URI's for nothing.
            throw new IllegalArgumentException("SSE_REDIS_SHARDS lists one Redis; set REDIS_URI for one, "
                    + "SSE_REDIS_SHARDS for 2 to " + ShardCursor.MAX_SHARDS);
        }
        if (uris.isEmpty() || uris.size() > ShardCursor.MAX_SHARDS) {
            throw new IllegalArgumentException("SSE_REDIS_SHARDS takes 2 to " + ShardCursor.MAX_SHARDS + " Redis URIs");
        }
        Set<String> seen = new HashSet<>();
        for (String u : uris) {
            // Two shards on one Redis would share its keys: a subscription to / would read
            // every event twice, and both would take the one epoch.
            if (!seen.add(u)) {
                throw new IllegalArgumentException("SSE_REDIS_SHARDS names " + redacted(u) + " twice");
            }
        }
        return List.copyOf(uris);
    }

    /** A URI fit for a log or a health page: without its user and password. */
    static String redacted(String uri) {
        return USER_INFO.matcher(uri).replaceFirst("//");
    }
}
