package io.ssegateway.security;

import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RandomText;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.SseRecorder;
import io.ssegateway.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short, seeded run of random requests at a live gateway: methods, paths under every route,
 * query parameters the routes read, percent-escapes good and bad, raw bytes, headers and JSON
 * bodies of random shape, with and without a valid token. Every answer must be a success or a
 * 4xx with a JSON reason, never a 5xx or a dropped connection, and the gateway must serve a
 * normal subscription and publish afterwards.
 */
class HttpFuzzTest {
    private static final long SEED = 31_337L;
    private static final int REQUESTS = 400;
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"};
    private static final String[] ROUTES = {"/subscribe", "/subscribe", "/publish", "/publish", "/broadcast", "/broadcast",
        "/login", "/status", "/health", "/stream", "/api/time", "/api/client-count", "", "/x"};
    private static final String[] PARAMS = {"topic", "topic", "lastEventId", "access_token", "event", "private", "user", "count", "q"};
    private static final String[] TYPES = {"application/json", "text/plain", "application/x-www-form-urlencoded", "text/html", "a/b;c=\u0001"};

    private static Gateway gateway;
    private static String publisher;

    @BeforeAll
    static void start() {
        gateway = Gateway.start(Map.of("jwt.secret", TestTokens.SECRET, "sse.http-query-publish", true));
        publisher = TestTokens.publisher(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void randomRequestsGetASuccessOrA4xxWithAReasonAndTheGatewayKeepsServing() {
        RandomText text = new RandomText(SEED);
        Random random = text.random();
        for (int i = 0; i < REQUESTS; i++) {
            String method = METHODS[random.nextInt(METHODS.length)];
            String target = ROUTES[random.nextInt(ROUTES.length)] + path(text) + query(text);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            if (random.nextBoolean()) {
                header(request, "Authorization", "Bearer " + (random.nextInt(3) > 0 ? publisher : printable(text)));
            }
            if (random.nextInt(4) == 0) {
                header(request, "Last-Event-ID", printable(text));
            }
            if (random.nextInt(4) == 0) {
                header(request, "Origin", random.nextBoolean() ? "https://evil.example" : printable(text));
            }
            if (!method.equals("GET") && random.nextInt(5) > 0) {
                byte[] body = body(text).getBytes(StandardCharsets.UTF_8);
                header(request, "Content-Type", TYPES[random.nextInt(TYPES.length)]);
                header(request, "Content-Length", String.valueOf(body.length));
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                request.writeBytes(body);
            } else {
                request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            String where = "seed=" + SEED + " request=" + i + " " + RandomText.show(method + " " + target);

            RawHttp.Response response = RawHttp.exchange(gateway.port(), request.toByteArray());

            assertTrue(response.status() >= 200 && response.status() < 500, where + " -> " + response.status() + " " + response.body());
            if (response.status() >= 400) {
                assertTrue(String.valueOf(response.header("content-type")).startsWith("application/json"), where + " " + response.headers());
                assertTrue(response.body().contains("\"error\":\""), where + " -> " + response.body());
            }
        }
        try (SseRecorder s = SseRecorder.open(gateway.url("/subscribe/after-fuzz"))) {
            assertEquals(200, s.awaitOpen().code());
            assertEquals(201, Http.postText(gateway.url("/publish/after-fuzz"), publisher, "still serving").status());
            assertEquals("still serving", s.next().data());
        }
    }

    /** Path segments: plain, percent-encoded hostile text, a bad escape, or raw UTF-8. */
    private static String path(RandomText text) {
        Random random = text.random();
        StringBuilder p = new StringBuilder();
        int segments = random.nextInt(4);
        for (int i = 0; i < segments; i++) {
            p.append('/').append(switch (random.nextInt(5)) {
                case 0 -> "pets";
                case 1 -> URLEncoder.encode(text.next(4), StandardCharsets.UTF_8);
                case 2 -> "%" + (char) ('a' + random.nextInt(26)) + "z";
                case 3 -> "..";
                default -> "é\u2028";
            });
        }
        return p.toString();
    }

    private static String query(RandomText text) {
        Random random = text.random();
        int n = random.nextInt(4);
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? '?' : '&').append(PARAMS[random.nextInt(PARAMS.length)]).append('=');
            q.append(random.nextInt(6) == 0 ? "%G" + random.nextInt(10) : URLEncoder.encode(text.nextOr(6, "/pets", "true", "5"),
                    StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    /** A header value without CR or LF, which would end the header. */
    private static String printable(RandomText text) {
        return text.next(8).replaceAll("[\r\n]", "");
    }

    private static void header(ByteArrayOutputStream request, String name, String value) {
        request.writeBytes((name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** JSON of random shape, often an event, sometimes not JSON at all. */
    private static String body(RandomText text) {
        Random random = text.random();
        return switch (random.nextInt(6)) {
            case 0 -> text.next(20);
            case 1 -> "[" + event(text) + "," + event(text) + "]";
            case 2 -> "{\"username\":" + quote(text.next(5)) + ",\"password\":" + quote(text.next(5)) + "}";
            case 3 -> "[".repeat(random.nextInt(3000)) + "1";
            default -> event(text);
        };
    }

    private static String event(RandomText text) {
        Random random = text.random();
        StringBuilder e = new StringBuilder("{");
        String[] fields = {"namespace", "namespaces", "event", "type", "data", "content", "private", "user", "x"};
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                e.append(',');
            }
            e.append(quote(fields[random.nextInt(fields.length)])).append(':').append(switch (random.nextInt(6)) {
                case 0 -> quote(text.nextOr(5, "/pets", "new-cat"));
                case 1 -> String.valueOf(random.nextBoolean());
                case 2 -> String.valueOf(random.nextDouble());
                case 3 -> "null";
                case 4 -> "[" + quote(text.nextOr(4, "/a", "/b")) + "]";
                default -> "{\"k\":" + quote(text.next(3)) + "}";
            });
        }
        return e.append('}').toString();
    }

    private static String quote(String s) {
        return io.ssegateway.core.Json.quote(s);
    }
}
