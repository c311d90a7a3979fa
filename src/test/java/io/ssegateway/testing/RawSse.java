package io.ssegateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads an SSE response byte for byte over a plain socket, to check the exact wire text
 * (headers, the opening {@code retry:}, comments) that SSE client libraries hide.
 */
public final class RawSse implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    public RawSse(int port, String pathAndQuery, String... headerLines) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
        StringBuilder req = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n");
        for (String h : headerLines) {
            req.append(h).append("\r\n");
        }
        req.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(req.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        in = socket.getInputStream();
    }

    /** Reads until the text seen so far contains {@code marker}; returns all of it (decoded). */
    public String readUntil(String marker) throws IOException {
        byte[] buf = new byte[4096];
        while (!text().contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("stream ended before '" + marker + "'; got: " + text());
            }
            seen.write(buf, 0, n);
        }
        return text();
    }

    /** Everything received so far, as UTF-8 text (chunk sizes included: the body is chunked). */
    public String text() {
        return seen.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
