package io.ssegateway.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare RESP2 connection to one Redis or Sentinel process, for the harness that starts and
 * breaks them. Lettuce would reconnect, follow Sentinel and retry behind the test's back; this
 * talks to exactly the process named, once, and fails loudly.
 *
 * <p>Replies: simple strings and bulk strings as {@code String}, integers as {@code Long}, arrays
 * as {@code List<Object>}, nil as null; an error reply throws {@link Error}.
 */
public final class Resp implements AutoCloseable {
    /** A Redis error reply, such as {@code -ERR max number of clients reached}. */
    public static final class Error extends RuntimeException {
        Error(String message) {
            super(message);
        }
    }

    /** Long enough for a slow CI machine, short enough that a wedged process fails the test quickly. */
    private static final int SOCKET_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private Resp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), SOCKET_TIMEOUT_MILLIS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /** A connection kept open for several commands (it survives a {@code maxclients} that refuses new ones). */
    public static Resp connect(int port) {
        try {
            return new Resp(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    /** One command on a connection of its own. */
    public static Object once(int port, String... command) {
        try (Resp r = connect(port)) {
            return r.call(command);
        }
    }

    public Object call(String... command) {
        try {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(("*" + command.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String part : command) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                request.write(bytes);
                request.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(request.toByteArray());
            out.flush();
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException("Redis on port " + socket.getPort() + " failed " + command[0], e);
        }
    }

    private Object read() throws IOException {
        int type = in.read();
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: " + (char) type + line);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            line.write(c);
        }
        in.read();
        return line.toString(StandardCharsets.UTF_8);
    }

    /** One field of an {@code INFO} reply, such as {@code master_link_status}; null when absent. */
    public static String infoField(String info, String field) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a socket of a killed process: nothing left to release.
        }
    }
}
