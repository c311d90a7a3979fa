package io.ssegateway.bench;

import java.util.Arrays;

/**
 * Reads one HTTP/1.1 event-stream response from raw bytes: the status line and headers, the
 * chunked transfer coding when the server uses it, and the SSE lines inside, as the WHATWG
 * parser reads them (CR, LF or CRLF end a line; a blank line ends an event).
 *
 * <p>It keeps only what a load test needs: the status, the {@code id} of the last event, whether
 * an event was a {@code history-gap}, and our own payload's fields. Nothing is allocated per
 * event; a line is copied only into a buffer the parser keeps.
 */
final class SseParser {
    /** A line longer than this is cut: our payloads are ~60 bytes, ids a few dozen. */
    static final int MAX_LINE = 16 * 1024;

    interface Listener {
        /** The response head was read. */
        void opened(int status);

        /** One event of ours; {@code fields} is reused after the call. */
        void event(Payload.Fields fields);

        /** A {@code history-gap} event: the server says it could not resume exactly. */
        void gap();

        /** The server ended the response (last chunk). */
        void ended();
    }

    private enum State { STATUS, HEADERS, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, BODY, DONE }

    private static final byte[] CHUNKED = "transfer-encoding: chunked".getBytes();
    private static final byte[] DATA = "data:".getBytes();
    private static final byte[] ID = "id:".getBytes();
    private static final byte[] EVENT_GAP = "event: history-gap".getBytes();

    private final Listener listener;
    private final Payload.Fields fields = new Payload.Fields();
    private State state = State.STATUS;
    private boolean chunked;
    private long chunkLeft;
    private byte[] line = new byte[128];
    private int lineLength;
    private boolean lineCut;
    private boolean afterCr;

    private boolean hasOurData;
    private boolean isGap;
    private byte[] pendingId = new byte[64];
    private int pendingIdLength = -1;
    private byte[] lastId = new byte[64];
    private int lastIdLength = -1;
    private int status;

    SseParser(Listener listener) {
        this.listener = listener;
    }

    int status() {
        return status;
    }

    /** The id of the last dispatched event that had one, or null. */
    String lastEventId() {
        return lastIdLength < 0 ? null : new String(lastId, 0, lastIdLength, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Feeds the next {@code length} bytes of the response. */
    void feed(byte[] buf, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            switch (state) {
                case STATUS, HEADERS -> i = headLine(buf, i, end);
                case CHUNK_SIZE -> i = chunkSize(buf, i, end);
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkLeft, end - i);
                    body(buf, i, i + n);
                    chunkLeft -= n;
                    i += n;
                    if (chunkLeft == 0) {
                        state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    if (buf[i++] == '\n') {
                        state = State.CHUNK_SIZE;
                    }
                }
                case BODY -> {
                    body(buf, i, end);
                    i = end;
                }
                case DONE -> i = end;
            }
        }
    }

    private int headLine(byte[] buf, int i, int end) {
        while (i < end) {
            byte b = buf[i++];
            if (b == '\n') {
                int n = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
                lineLength = 0;
                headLineDone(n);
                return i;
            }
            append(b);
        }
        return i;
    }

    private void headLineDone(int n) {
        if (state == State.STATUS) {
            // "HTTP/1.1 200 OK"
            status = n >= 12 ? (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0') : 0;
            state = State.HEADERS;
            return;
        }
        if (n == 0) {
            state = chunked ? State.CHUNK_SIZE : State.BODY;
            listener.opened(status);
            return;
        }
        if (startsWithIgnoreCase(line, n, CHUNKED)) {
            chunked = true;
        }
    }

    private int chunkSize(byte[] buf, int i, int end) {
        while (i < end) {
            byte b = buf[i++];
            if (b == '\n') {
                if (chunkLeft == 0) {
                    state = State.DONE;
                    listener.ended();
                } else {
                    state = State.CHUNK_DATA;
                }
                lineCut = false;
                return i;
            }
            int digit = Character.digit(b, 16);
            if (digit >= 0 && !lineCut) {
                chunkLeft = chunkLeft * 16 + digit;
            } else if (b == ';') {
                lineCut = true; // a chunk extension: ignored
            }
        }
        return i;
    }

    private void body(byte[] buf, int i, int end) {
        while (i < end) {
            byte b = buf[i];
            if (b == '\n' && afterCr) {
                // The LF of a CRLF: the line already ended at the CR.
                afterCr = false;
                i++;
                continue;
            }
            afterCr = false;
            int stop = i;
            while (stop < end && buf[stop] != '\n' && buf[stop] != '\r') {
                stop++;
            }
            appendRange(buf, i, stop);
            if (stop == end) {
                return;
            }
            afterCr = buf[stop] == '\r';
            sseLine();
            i = stop + 1;
        }
    }

    private void sseLine() {
        int n = lineLength;
        lineLength = 0;
        lineCut = false;
        if (n == 0) {
            dispatch();
            return;
        }
        if (startsWith(line, n, DATA)) {
            int from = DATA.length;
            if (from < n && line[from] == ' ') {
                from++;
            }
            if (Payload.parse(line, from, n, fields)) {
                hasOurData = true;
            }
        } else if (startsWith(line, n, ID)) {
            int from = ID.length;
            if (from < n && line[from] == ' ') {
                from++;
            }
            int len = n - from;
            if (pendingId.length < len) {
                pendingId = new byte[len];
            }
            System.arraycopy(line, from, pendingId, 0, len);
            pendingIdLength = len;
        } else if (n == EVENT_GAP.length && startsWith(line, n, EVENT_GAP)) {
            isGap = true;
        }
    }

    private void dispatch() {
        if (pendingIdLength >= 0) {
            byte[] swap = lastId;
            lastId = pendingId;
            pendingId = swap;
            lastIdLength = pendingIdLength;
            pendingIdLength = -1;
        }
        if (isGap) {
            listener.gap();
        } else if (hasOurData) {
            listener.event(fields);
        }
        hasOurData = false;
        isGap = false;
    }

    private void append(byte b) {
        if (lineLength == line.length) {
            if (line.length >= MAX_LINE) {
                lineCut = true;
                return;
            }
            line = Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
        }
        line[lineLength++] = b;
    }

    private void appendRange(byte[] buf, int from, int to) {
        int n = to - from;
        if (lineLength + n > line.length) {
            int size = Math.min(MAX_LINE, Math.max(line.length * 2, lineLength + n));
            if (size > line.length) {
                line = Arrays.copyOf(line, size);
            }
            n = Math.min(n, line.length - lineLength);
            lineCut = n < to - from;
        }
        System.arraycopy(buf, from, line, lineLength, n);
        lineLength += n;
    }

    private static boolean startsWith(byte[] a, int n, byte[] prefix) {
        if (n < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (a[k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithIgnoreCase(byte[] a, int n, byte[] lowerPrefix) {
        if (n < lowerPrefix.length) {
            return false;
        }
        for (int k = 0; k < lowerPrefix.length; k++) {
            if (Character.toLowerCase(a[k]) != lowerPrefix[k]) {
                return false;
            }
        }
        return true;
    }
}
