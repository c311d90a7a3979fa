package io.ssegateway.bench;

import java.nio.charset.StandardCharsets;

/**
 * The event data the tool publishes and reads back: compact JSON naming the publisher, its
 * sequence number and the send time, padded to about 60 bytes like a small real event.
 *
 * <pre>{"p":2,"s":1041,"t":83417234123456,"x":"............"}</pre>
 *
 * <p>{@code t} is {@link System#nanoTime()} of the tool's own JVM at send time; publisher and
 * subscribers live in that one JVM, so the receive time minus {@code t} is the latency without
 * any clock alignment.
 */
final class Payload {
    /** Roughly the size of a small JSON notification, as in the comparison's setup. */
    static final int TARGET_BYTES = 60;

    private static final byte[] P = bytes("{\"p\":");
    private static final byte[] S = bytes(",\"s\":");
    private static final byte[] T = bytes(",\"t\":");

    private Payload() {
    }

    static String encode(int publisher, long seq, long sentNanos) {
        return encode(publisher, seq, sentNanos, TARGET_BYTES);
    }

    /** A payload padded to about {@code size} bytes. */
    static String encode(int publisher, long seq, long sentNanos, int size) {
        String head = "{\"p\":" + publisher + ",\"s\":" + seq + ",\"t\":" + sentNanos + ",\"x\":\"";
        int pad = Math.max(1, size - head.length() - 2);
        return head + "x".repeat(pad) + "\"}";
    }

    /** What {@link #parse} found. Reused by the caller: one per reading thread or connection. */
    static final class Fields {
        int publisher;
        long seq;
        long sentNanos;
    }

    /**
     * Reads a payload from {@code buf[from, to)}; false when it is not one of ours (a greeting,
     * a gap notice, someone else's event).
     */
    static boolean parse(byte[] buf, int from, int to, Fields out) {
        int i = expect(buf, from, to, P);
        if (i < 0) {
            return false;
        }
        long p = 0;
        int start = i;
        while (i < to && buf[i] >= '0' && buf[i] <= '9') {
            p = p * 10 + (buf[i++] - '0');
        }
        if (i == start || (i = expect(buf, i, to, S)) < 0) {
            return false;
        }
        long s = 0;
        start = i;
        while (i < to && buf[i] >= '0' && buf[i] <= '9') {
            s = s * 10 + (buf[i++] - '0');
        }
        if (i == start || (i = expect(buf, i, to, T)) < 0) {
            return false;
        }
        boolean negative = i < to && buf[i] == '-';
        if (negative) {
            i++;
        }
        long t = 0;
        start = i;
        while (i < to && buf[i] >= '0' && buf[i] <= '9') {
            t = t * 10 + (buf[i++] - '0');
        }
        if (i == start) {
            return false;
        }
        out.publisher = (int) p;
        out.seq = s;
        out.sentNanos = negative ? -t : t;
        return true;
    }

    private static int expect(byte[] buf, int at, int to, byte[] literal) {
        if (to - at < literal.length) {
            return -1;
        }
        for (int k = 0; k < literal.length; k++) {
            if (buf[at + k] != literal[k]) {
                return -1;
            }
        }
        return at + literal.length;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
