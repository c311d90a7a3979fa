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

    @Test
    void anUnknownTransferCodingIs501AndTheConnectionCloses() throws IOException {
        for (String coding : new String[] {"xchunked", "gzip, chunked", "chunked, chunked"}) {
            String answer = exchange("POST /broadcast HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: " + coding + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 501 "), coding + ": " + answer);
            assertTrue(answer.contains("UNSUPPORTED_TRANSFER_CODING"), answer);
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
