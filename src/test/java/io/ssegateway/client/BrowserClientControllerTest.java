package io.ssegateway.client;

import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /sse-gateway.js}: the browser client is served to anyone, small, and revalidated cheaply. */
class BrowserClientControllerTest {
    /** What the README promises: a module small enough to add to any page without thought. */
    private static final int MAX_GZIPPED_BYTES = 3 * 1024;
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
    void theModuleIsServedToAnyOriginWithoutAToken() {
        Http.Reply reply = Http.send(new Request.Builder().url(gateway.url("/sse-gateway.js"))
                .header("Origin", "https://app.example").build());
        assertEquals(200, reply.status());
        assertTrue(reply.headers().get("Content-Type").startsWith("text/javascript"), reply.headers().toString());
        assertEquals("*", reply.headers().get("Access-Control-Allow-Origin"));
        assertTrue(reply.body().contains("export class SharedEventSource"), "an ES module exporting the client");
    }

    @Test
    void anUnchangedModuleIsRevalidatedWithNotModified() {
        String etag = Http.get(gateway.url("/sse-gateway.js"), null).headers().get("ETag");
        assertNotNull(etag);
        Http.Reply again = Http.send(new Request.Builder().url(gateway.url("/sse-gateway.js"))
                .header("If-None-Match", etag).build());
        assertEquals(304, again.status());
        assertEquals("", again.body());
    }

    @Test
    void theModuleStaysUnderThreeKilobytesGzipped() throws IOException {
        byte[] body = Http.get(gateway.url("/sse-gateway.js"), null).body().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(body);
        }
        assertTrue(zipped.size() <= MAX_GZIPPED_BYTES, "gzipped size " + zipped.size());
    }
}
