package io.ssegateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Reads an SSE response byte for byte over a plain socket, to check the exact wire text
 * (headers, the opening {@code retry:}, comments) that SSE client libraries hide.
 */
public final class RawSse implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    public RawSse(int port, String pathAndQuery, String... headerLines) throws IOException {
        this(new Socket(), port, pathAndQuery, headerLines);
    }

    /**
     * A client with a receive buffer of about {@code bytes} (the kernel may round it up), set
     * before connecting so the TCP window is small from the start: with it, a client that stops
     * reading backs the server up quickly.
     */
    public static RawSse withReceiveBuffer(int bytes, int port, String pathAndQuery) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(bytes);
        return new RawSse(socket, port, pathAndQuery);
    }

    private RawSse(Socket socket, int port, String pathAndQuery, String... headerLines) throws IOException {
        this.socket = socket;
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) Duration.ofSeconds(5).toMillis());
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

    /**
     * Reads on until the server ends the connection; true when it did (end of stream or a
     * reset), false when it stayed open past the read timeout. What arrived is kept.
     */
    public boolean readsToTheEnd() throws IOException {
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                // The bytes the server had queued before it gave up on us.
                seen.write(buf, 0, n);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /** Reads until {@code marker} arrives in what is received from now on; returns that part. */
    public String readMore(String marker) throws IOException {
        int from = seen.size();
        byte[] buf = new byte[4096];
        while (!since(from).contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("stream ended before '" + marker + "'; got: " + text());
            }
            seen.write(buf, 0, n);
        }
        return since(from);
    }

    private String since(int offset) {
        byte[] all = seen.toByteArray();
        return new String(all, offset, all.length - offset, StandardCharsets.UTF_8);
    }

    /** Everything received so far, as UTF-8 text (chunk sizes included: the body is chunked). */
    public String text() {
        return seen.toString(StandardCharsets.UTF_8);
    }

    /**
     * The events received whole so far, as an EventSource dispatches them: of an event the
     * connection was cut in, nothing.
     */
    public List<SseParser.Parsed> events() {
        String all = new String(seen.toByteArray(), StandardCharsets.ISO_8859_1);
        int head = all.indexOf("\r\n\r\n");
        String body = head < 0 ? "" : RawHttp.dechunk(all.substring(head + 4));
        return SseParser.parse(new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)).events();
    }

    /** This client's port, which the server shows as the port of the stream's remote. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Makes {@link #close()} reset the connection (as a killed browser tab does) instead of ending it. */
    public void resetOnClose() throws IOException {
        socket.setSoLinger(true, 0);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
