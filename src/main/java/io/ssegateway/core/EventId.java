package io.ssegateway.core;

import java.util.regex.Pattern;

/**
 * The id of a stored event: {@code <epoch>-<millis>-<seq>}, for example
 * {@code k3v9q2-1732233600123-42}.
 *
 * <ul>
 *   <li>{@code epoch} names one life of the history store. A store that loses its history (a
 *       Redis restart without persistence, FLUSHALL, a failover to an empty replica, a process
 *       restart of the local broker) starts a new epoch, so an id from before the loss can be
 *       recognised and answered with a history gap instead of a silent replay from the wrong
 *       place.</li>
 *   <li>{@code millis-seq} is the position. {@code seq} comes from one counter shared by every
 *       namespace and {@code millis} never goes backwards, so ids of different namespaces are
 *       totally ordered: that is what lets a subscriber of {@code /pets} resume across
 *       {@code /pets/cats} and {@code /pets/dogs} in publish order. In Redis the position is
 *       also the stream entry id, which makes age trimming ({@code MINID}) possible.</li>
 * </ul>
 *
 * With several Redis shards an event's id also carries a {@link ShardCursor}: its own position
 * (the fields above) and where the stream stood on every other shard; its text is the cursor's.
 *
 * Clients treat ids as opaque; only this class reads them.
 */
public record EventId(String epoch, long millis, long seq, ShardCursor cursor) implements Comparable<EventId> {
    private static final Pattern EPOCH = Pattern.compile("[a-z0-9]{1,16}");
    private static final int MAX_TEXT = 64;
    /**
     * The epoch of a cursor read back from a client: no store's (theirs are 10 characters), so a
     * broker that is not sharded answers such an id with a history gap, never a replay from a
     * position that belongs to some shard.
     */
    static final String CURSOR_EPOCH = "cursor";

    public EventId(String epoch, long millis, long seq) {
        this(epoch, millis, seq, null);
    }

    public EventId {
        if (epoch == null || !EPOCH.matcher(epoch).matches()) {
            throw new GatewayException(Reason.INVALID_EVENT_ID, "epoch must match [a-z0-9]{1,16}");
        }
        if (millis < 0 || seq < 0) {
            throw new GatewayException(Reason.INVALID_EVENT_ID, "id position must not be negative");
        }
    }

    /** The id of an event of shard {@code cursor.own()}, with where the others stood. */
    public static EventId ofShard(ShardCursor cursor) {
        EventId p = cursor.at(cursor.own());
        return new EventId(p.epoch, p.millis, p.seq, cursor);
    }

    /** A cursor that is no event's (one read back, the shards' heads): {@link #CURSOR_EPOCH}. */
    public static EventId ofCursor(ShardCursor cursor) {
        return new EventId(CURSOR_EPOCH, 0, 0, cursor);
    }

    /** Reads an id a client sent back; null when it is not one of ours (a malformed id). */
    public static EventId parseOrNull(String text) {
        if (text == null || text.isEmpty() || text.length() > ShardCursor.MAX_SHARDS * (MAX_TEXT + 1)) {
            return null;
        }
        if (text.indexOf('.') >= 0) {
            ShardCursor c = ShardCursor.parseOrNull(text);
            return c == null ? null : ofCursor(c);
        }
        if (text.length() > MAX_TEXT) {
            return null;
        }
        int first = text.indexOf('-');
        int second = first < 0 ? -1 : text.indexOf('-', first + 1);
        if (first <= 0 || second < 0 || text.indexOf('-', second + 1) >= 0) {
            return null;
        }
        String epoch = text.substring(0, first);
        if (!EPOCH.matcher(epoch).matches()) {
            return null;
        }
        try {
            long millis = parseDigits(text, first + 1, second);
            long seq = parseDigits(text, second + 1, text.length());
            return new EventId(epoch, millis, seq);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses a Redis stream entry id {@code <millis>-<seq>} within a known epoch. */
    public static EventId fromPosition(String epoch, String position) {
        int dash = position.indexOf('-');
        if (dash <= 0) {
            throw new GatewayException(Reason.INVALID_EVENT_ID, "not a stream position: " + position);
        }
        return new EventId(epoch, parseDigits(position, 0, dash), parseDigits(position, dash + 1, position.length()));
    }

    private static long parseDigits(String s, int from, int to) {
        if (from >= to || to - from > 19) {
            throw new NumberFormatException();
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException();
            }
        }
        return Long.parseLong(s, from, to, 10);
    }

    /** The position alone, {@code <millis>-<seq>}: the Redis stream entry id. */
    public String position() {
        return millis + "-" + seq;
    }

    public boolean sameEpoch(EventId other) {
        return other != null && epoch.equals(other.epoch);
    }

    /** Orders by position; only meaningful within one epoch. */
    @Override
    public int compareTo(EventId o) {
        int c = Long.compare(millis, o.millis);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }

    public boolean isAfter(EventId o) {
        return compareTo(o) > 0;
    }

    /**
     * True when a stream that got to {@code last} has had this event already: for an event of a
     * shard, when {@code last} holds a position on that shard in the same epoch and not before it.
     */
    public boolean isCoveredBy(EventId last) {
        if (last == null) {
            return false;
        }
        if (cursor != null && cursor.own() >= 0) {
            EventId theirs = last.cursor == null || last.cursor.size() != cursor.size() ? null : last.cursor.at(cursor.own());
            return theirs != null && sameEpoch(theirs) && !isAfter(theirs);
        }
        return sameEpoch(last) && !isAfter(last);
    }

    /**
     * This event's id as a stream that got to {@code last} must show it: where {@code last} is
     * further on another shard (the stream resumed past what this instance has seen there), that
     * position is kept, or the stream's next resume would repeat those events. This very id
     * when nothing changes.
     */
    public EventId seenAfter(EventId last) {
        if (cursor == null || cursor.own() < 0 || last == null || last.cursor == null
                || last.cursor.size() != cursor.size()) {
            return this;
        }
        ShardCursor merged = cursor.furthest(last.cursor);
        return merged == cursor ? this : new EventId(epoch, millis, seq, merged);
    }

    @Override
    public String toString() {
        return cursor != null ? cursor.toString() : epoch + "-" + millis + "-" + seq;
    }
}
