package io.ssegateway.ingress;

import io.micronaut.core.annotation.Internal;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into UTF-8 lines of bounded length, for the FIFO (the control port has
 * Netty's decoder). LF ends a line; a CR before it is left for the line parser to drop.
 *
 * <p>A line longer than the bound is never held whole: its first bytes are dropped, the rest is
 * skipped up to its LF, and then {@link #next()} reports it with
 * {@link Reason#PAYLOAD_TOO_LARGE}; the next call goes on with the line after it. At the end of
 * the stream an unterminated last line is returned too, since its writer is done with it.
 */
@Internal
final class BoundedLineReader {
    /** Bytes read from the FIFO per system call: the size of a Linux pipe buffer. */
    private static final int READ_CHUNK = 65536;
    private static final int INITIAL_LINE = 256;

    private final ReadableByteChannel in;
    private final int maxLineBytes;
    private final ByteBuffer chunk = ByteBuffer.allocate(READ_CHUNK).flip();
    private byte[] line = new byte[INITIAL_LINE];
    private int length;
    private boolean tooLong;
    private boolean ended;

    BoundedLineReader(ReadableByteChannel in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its LF, or null at the end of the stream. */
    String next() throws IOException {
        while (true) {
            if (!chunk.hasRemaining()) {
                if (ended || !fill()) {
                    ended = true;
                    return length > 0 || tooLong ? take() : null;
                }
            }
            byte b = chunk.get();
            if (b == '\n') {
                return take();
            }
            if (tooLong) {
                continue;
            }
            if (length == maxLineBytes) {
                tooLong = true;
                continue;
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
            }
            line[length++] = b;
        }
    }

    private boolean fill() throws IOException {
        chunk.clear();
        int n = in.read(chunk);
        chunk.flip();
        return n >= 0;
    }

    private String take() {
        int n = length;
        length = 0;
        if (tooLong) {
            tooLong = false;
            throw new GatewayException(Reason.PAYLOAD_TOO_LARGE, "line is longer than " + maxLineBytes + " bytes");
        }
        return new String(line, 0, n, StandardCharsets.UTF_8);
    }
}
