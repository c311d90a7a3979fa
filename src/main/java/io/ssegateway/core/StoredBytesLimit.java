package io.ssegateway.core;

import java.util.List;

/**
 * The bound on what one publish request stores: each event's data once per namespace it is
 * published to (every namespace keeps its own history), summed over a batch.
 *
 * <p>Without it a publisher allowed to write a few namespaces turned one 3.96 MB
 * {@code /broadcast} (60 events of 64 KiB to 32 namespaces) into 157 MB of Redis memory, held
 * for the history's age (an hour by default). The payload and batch bounds each held.
 */
public final class StoredBytesLimit {
    /** The default: what one request's body may carry ({@code SSE_MAX_REQUEST_SIZE}), stored once. */
    public static final long DEFAULT_BYTES = 16L * 1024 * 1024;

    private final long maxBytes;

    public StoredBytesLimit(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("the stored-bytes bound must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /** Refuses, with 413 {@link Reason#PUBLISH_TOO_LARGE}, drafts that together store more than the bound. */
    public void check(List<EventDraft> drafts) {
        long total = 0;
        for (EventDraft d : drafts) {
            total += utf8Length(d.data()) * (long) d.namespaces().size();
            if (total > maxBytes) {
                throw new GatewayException(Reason.PUBLISH_TOO_LARGE, "this request would store more than " + maxBytes
                        + " bytes of history (each event's data once per namespace, summed over the batch);"
                        + " publish to fewer namespaces or in several requests");
            }
        }
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
