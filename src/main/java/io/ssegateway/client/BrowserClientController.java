package io.ssegateway.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code GET /sse-gateway.js}: the browser client that shares one connection per browser among
 * all its tabs (an ES module, no dependencies). It holds no data, so anyone may load it, from
 * any origin: an application on its own origin imports it from the gateway's.
 */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class BrowserClientController {
    public static final String PATH = "/sse-gateway.js";
    private final byte[] script = resource("client/sse-gateway.js");
    private final String etag = "\"" + digest(script) + "\"";

    @Get(value = PATH, produces = "text/javascript")
    public HttpResponse<byte[]> script(@Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        // Revalidated on every load (no-cache + ETag), so an upgraded gateway is picked up at once.
        var response = etag.equals(ifNoneMatch) ? HttpResponse.<byte[]>status(HttpStatus.NOT_MODIFIED) : HttpResponse.ok(script);
        return response
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                // A module imported from another origin needs CORS; the file is public code.
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .header("X-Content-Type-Options", "nosniff");
    }

    private static byte[] resource(String name) {
        try (InputStream in = BrowserClientController.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
