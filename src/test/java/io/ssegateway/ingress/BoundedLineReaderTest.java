package io.ssegateway.ingress;

import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each case is read whole and, as a pipe may deliver it, in small pieces. */
class BoundedLineReaderTest {
    private static final String TOO_LONG = "<too long>";

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 65536})
    void linesEndAtLfAndTheCrIsLeftForTheParser(int piece) throws IOException {
        assertEquals(List.of("a", "b\r", "", "c"), read("a\nb\r\n\nc\n", 8, piece));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 65536})
    void anUnterminatedLastLineIsReturnedAtTheEnd(int piece) throws IOException {
        assertEquals(List.of("a", "last"), read("a\nlast", 8, piece));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 65536})
    void aTooLongLineIsReportedInItsPlaceAndReadingGoesOn(int piece) throws IOException {
        assertEquals(List.of("12345678", TOO_LONG, "ok", TOO_LONG),
                read("12345678\n123456789abcdef\nok\n123456789", 8, piece));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 65536})
    void utf8SplitAcrossReadsIsDecodedWhole(int piece) throws IOException {
        assertEquals(List.of("é🐱世界"), read("é🐱世界\n", 64, piece));
    }

    private static List<String> read(String text, int maxLineBytes, int piece) throws IOException {
        BoundedLineReader reader = new BoundedLineReader(new Trickle(text.getBytes(StandardCharsets.UTF_8), piece), maxLineBytes);
        List<String> lines = new ArrayList<>();
        while (true) {
            try {
                String line = reader.next();
                if (line == null) {
                    return lines;
                }
                lines.add(line);
            } catch (GatewayException e) {
                assertEquals(Reason.PAYLOAD_TOO_LARGE, e.reason());
                lines.add(TOO_LONG);
            }
        }
    }

    /** Hands out at most {@code piece} bytes per read. */
    private static final class Trickle implements ReadableByteChannel {
        private final ByteBuffer bytes;
        private final int piece;

        Trickle(byte[] bytes, int piece) {
            this.bytes = ByteBuffer.wrap(bytes);
            this.piece = piece;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (!bytes.hasRemaining()) {
                return -1;
            }
            int n = Math.min(piece, Math.min(dst.remaining(), bytes.remaining()));
            dst.put(bytes.slice().limit(n));
            bytes.position(bytes.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
