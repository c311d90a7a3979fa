package io.ssegateway.egress;

import io.ssegateway.testing.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A transfer coding the server does not implement is refused with 501 and the connection
 * closed (RFC 9112 §6.1): reading its body by another rule is how requests are smuggled.
 */
class TransferCodingTest {
    private static Gateway gateway;

    @BeforeAll
    static void start() {
        gateway = Gateway.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** One route of each kind: a Micronaut controller with a body, the raw stream route, a plain GET. */
    private static final String[] TARGETS = {"POST /broadcast", "GET /subscribe/framing", "GET /health"};

    @Test
    void anUnknownTransferCodingIs501AndTheConnectionClosesOnEveryRoute() throws IOException {
        for (String target : TARGETS) {
            for (String coding : new String[] {"xchunked", "gzip, chunked", "chunked, chunked"}) {
                String answer = exchange(target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: " + coding + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
                assertTrue(answer.startsWith("HTTP/1.1 501 "), target + " " + coding + ": " + answer);
                assertTrue(answer.contains("UNSUPPORTED_TRANSFER_CODING"), answer);
            }
        }
    }

    /**
     * RFC 9112 §6.3: a request with both is a smuggling attempt until shown otherwise, since a
     * proxy in front may have framed it by the other header. Netty quietly dropped the
     * Content-Length and kept the connection, so whatever the proxy took for the next request
     * was served. Refused, nothing after it is read, the connection closes.
     */
    @Test
    void contentLengthWithTransferEncodingIs400AndTheConnectionClosesOnEveryRoute() throws IOException {
        for (String target : TARGETS) {
            for (String version : new String[] {"HTTP/1.1", "HTTP/1.0"}) {
                String smuggled = "GET /status HTTP/1.1\r\nHost: x\r\n\r\n";
                String answer = exchange(target + " " + version + "\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled);
                assertTrue(answer.startsWith("HTTP/1.1 400 "), target + " " + version + ": " + answer);
                assertTrue(answer.contains("MALFORMED_REQUEST"), answer);
                assertEquals(1, answer.split("HTTP/1\\.1 ", -1).length - 1, "one answer, none for what follows: " + answer);
            }
        }
    }

    /** Sends {@code request} and reads until the server closes the connection (or 10 s pass). */
    private static String exchange(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
