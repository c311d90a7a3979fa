package io.ssegateway.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request is refused from its head, before its body is read and before {@code 100 Continue}:
 * an anonymous client must not make the gateway take in megabytes it will refuse anyway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BodyBeforeAuthTest {
    private static final int FIFTEEN_MIB = 15 * 1024 * 1024;
    private static final int READ_TIMEOUT_MS = 5_000;

    private Gateway gateway;
    private String publisher;

    @BeforeAll
    void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET,
                "sse.users.alice.password-hash", UserStoreTest.hash(BCrypt.Version.VERSION_2Y, "right"),
                "sse.users.alice.roles", "publisher"));
        publisher = TestTokens.publisher(gateway);
    }

    @AfterAll
    void stop() {
        gateway.close();
    }

    /** Sends only a head and reads what comes back until the server closes or stops talking. */
    private String headOnly(String head) throws IOException {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(READ_TIMEOUT_MS);
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return readUntilClosedOrQuiet(s.getInputStream());
        }
    }

    private static String readUntilClosedOrQuiet(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
                if (out.toString(StandardCharsets.UTF_8).contains("}")) {
                    break;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            // Whatever arrived is the answer.
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anAnonymousPublishExpectingContinueGets401AndNoContinue() throws IOException {
        String answer = headOnly("POST /broadcast HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 20\r\nExpect: 100-continue\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
        assertTrue(!answer.contains("100 Continue"), answer);
        assertTrue(answer.contains("WWW-Authenticate: Bearer") || answer.contains("www-authenticate: Bearer"), answer);
        assertTrue(answer.contains("\"error\":\"UNAUTHORIZED\""), answer);
    }

    @Test
    void anAnonymousFifteenMebibytePublishIsRefusedWithoutItsBodyBeingRead() throws IOException {
        String answer = headOnly("POST /broadcast HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + FIFTEEN_MIB + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
        assertTrue(answer.toLowerCase().contains("connection: close"), answer);
    }

    @Test
    void anAuthorisedPublishOverTheRequestBoundGets413AndNoContinue() throws IOException {
        String answer = headOnly("POST /publish/gate HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nAuthorization: Bearer "
                + publisher + "\r\nContent-Length: " + 2 * FIFTEEN_MIB + "\r\nExpect: 100-continue\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(!answer.contains("100 Continue"), answer);
        assertTrue(answer.contains("PAYLOAD_TOO_LARGE"), answer);
    }

    @Test
    void aLoginOverItsBoundIsRefusedFromItsLength() throws IOException {
        String answer = headOnly("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + FIFTEEN_MIB + "\r\nExpect: 100-continue\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        assertTrue(answer.contains("PAYLOAD_TOO_LARGE"), answer);
    }

    @Test
    void aChunkedLoginIsCutAtItsBoundWhileItIsRead() throws IOException {
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("1000\r\n" + "x".repeat(0x1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 3; i++) {
                out.write(chunk);
            }
            out.flush();
            String answer = readUntilClosedOrQuiet(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
        }
    }

    @Test
    void anAcceptedPublishGetsItsContinueAndIsPublished() throws IOException {
        String body = "{\"namespace\":\"/gate\",\"data\":\"ok\"}";
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(("POST /broadcast HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                    + publisher + "\r\nContent-Length: " + body.length() + "\r\nExpect: 100-continue\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String first = readLine(in);
            assertEquals("HTTP/1.1 100 Continue", first);
            readLine(in);
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readLine(in);
            assertTrue(answer.startsWith("HTTP/1.1 201 "), answer);
        }
    }

    @Test
    void anAcceptedLoginExpectingContinueGetsOneContinue() throws IOException {
        String body = "{\"username\":\"alice\",\"password\":\"right\"}";
        try (Socket s = new Socket("127.0.0.1", gateway.port())) {
            s.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write(("POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            assertEquals("HTTP/1.1 100 Continue", readLine(in));
            readLine(in);
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("HTTP/1.1 200 OK", readLine(in));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
