package io.ssegateway.core;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Where a stream that reads several independent histories (the Redis shards of
 * {@code SSE_REDIS_SHARDS}) has got to: one position per shard, in the order of the shard list.
 * Shards share no counter and no clock, so no single position can say how far a stream spanning
 * two of them got; a resume from one position would either repeat the other shard's events or
 * skip them. A position per shard makes the resume exact on each.
 *
 * <p>Text form, which is the event id such a stream sends: the positions in shard order, each
 * {@code <epoch>-<millis>-<seq>}, joined by {@code .}, an unknown one empty (nothing of that
 * shard seen yet): {@code k3v9q2xa0b-1795300000123-42.m8x1aa77qz-1795300000125-7}.
 *
 * @param own the shard of the event this cursor is the id of, or -1 for a cursor read back
 *     from a client
 * @param positions one plain id (no cursor) or null per shard
 */
public record ShardCursor(int own, List<EventId> positions) {
    /** More shards than this would make an id longer than a header or a URL comfortably carries. */
    public static final int MAX_SHARDS = 64;

    public ShardCursor {
        if (positions.size() < 2 || positions.size() > MAX_SHARDS) {
            throw new GatewayException(Reason.INVALID_EVENT_ID, "a shard cursor has 2 to " + MAX_SHARDS + " positions");
        }
        if (own < -1 || own >= positions.size() || (own >= 0 && positions.get(own) == null)) {
            throw new GatewayException(Reason.INVALID_EVENT_ID, "an event's own shard must have its position");
        }
        // Unmodifiable, yet null-friendly (List.copyOf refuses the unknown positions).
        positions = Collections.unmodifiableList(Arrays.asList(positions.toArray(new EventId[0])));
    }

    /** Reads the text form; null when it is not one (another count of positions is read fine). */
    public static ShardCursor parseOrNull(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length < 2 || parts.length > MAX_SHARDS) {
            return null;
        }
        EventId[] positions = new EventId[parts.length];
        boolean any = false;
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                positions[i] = EventId.parseOrNull(parts[i]);
                if (positions[i] == null || positions[i].cursor() != null) {
                    return null;
                }
                any = true;
            }
        }
        // Every id given out holds its event's position: one with none was never ours.
        return any ? new ShardCursor(-1, Arrays.asList(positions)) : null;
    }

    public int size() {
        return positions.size();
    }

    /** The position on {@code shard}, or null when none is known. */
    public EventId at(int shard) {
        return positions.get(shard);
    }

    /** The cursor of an event of {@code shard} at {@code position}, the other shards where this one stands. */
    public ShardCursor advance(int shard, EventId position) {
        EventId[] next = positions.toArray(new EventId[0]);
        next[shard] = position;
        return new ShardCursor(shard, Arrays.asList(next));
    }

    /**
     * This cursor with, for every shard but its own, the position of {@code other} where that one
     * is further on; this very cursor when {@code other} adds nothing. Across two epochs of a
     * shard the later position wins: a new epoch starts on a later clock.
     */
    public ShardCursor furthest(ShardCursor other) {
        EventId[] next = null;
        for (int i = 0; i < positions.size(); i++) {
            EventId mine = positions.get(i);
            EventId theirs = other.at(i);
            if (i != own && theirs != null && (mine == null || theirs.isAfter(mine))) {
                if (next == null) {
                    next = positions.toArray(new EventId[0]);
                }
                next[i] = theirs;
            }
        }
        return next == null ? this : new ShardCursor(own, Arrays.asList(next));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < positions.size(); i++) {
            if (i > 0) {
                s.append('.');
            }
            if (positions.get(i) != null) {
                s.append(positions.get(i));
            }
        }
        return s.toString();
    }
}
