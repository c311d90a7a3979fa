package io.ssegateway.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.nimbusds.jwt.JWTClaimsSet;
import io.ssegateway.testing.Gateway;
import io.ssegateway.testing.Http;
import io.ssegateway.testing.RawHttp;
import io.ssegateway.testing.SseRecorder;
import okhttp3.Request;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logs of a busy gateway never hold a token or a password: a run with logins, publishes,
 * subscriptions carrying tokens in the header, the {@code access_token} parameter and the
 * cookie, refused tokens, and requests that fail in odd places. Our own loggers run at DEBUG and
 * the framework's at INFO while it is watched, Micronaut Security's at TRACE: its own token
 * validator logs the whole token at DEBUG, and its bearer reader a non-Bearer Authorization
 * value. The one exception is the development-mode admin token, logged once at startup, with
 * its warning.
 */
class LogHygieneTest {
    private static final String PASSWORD = "correct horse battery staple";

    @Test
    void noTokenOrPasswordReachesTheLogsExceptTheDevelopmentTokenOnce() {
        Logger ours = (Logger) LoggerFactory.getLogger("io.ssegateway");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level oursBefore = ours.getLevel();
        Level rootBefore = root.getLevel();
        Logger library = (Logger) LoggerFactory.getLogger("io.micronaut.security");
        Level libraryBefore = library.getLevel();
        ours.setLevel(Level.DEBUG);
        root.setLevel(Level.INFO);
        library.setLevel(Level.TRACE);
        try (LogCapture log = new LogCapture();
             Gateway gateway = Gateway.start(Map.of("jwt.secret", "", "jwt.jwks-url", "",
                     "sse.users.alice.password-hash", UserStoreTest.hash(BCrypt.Version.VERSION_2A, PASSWORD),
                     "sse.users.alice.roles", "publisher",
                     "sse.users.alice.subscribe", "/"))) {
            List<String> secrets = exercise(gateway);

            List<String> tokens = log.tokens();
            assertEquals(1, tokens.size(), "only the development token: " + tokens);
            ILoggingEvent devLine = log.events().stream().filter(e -> e.getFormattedMessage().contains(tokens.get(0)))
                    .findFirst().orElseThrow();
            assertEquals(Level.WARN, devLine.getLevel());
            assertTrue(devLine.getFormattedMessage().startsWith("auth=development"), devLine.getFormattedMessage());
            for (ILoggingEvent e : log.events()) {
                String text = text(e);
                for (String secret : secrets) {
                    assertFalse(text.contains(secret), "logged a secret: " + text);
                }
            }
        } finally {
            ours.setLevel(oursBefore);
            root.setLevel(rootBefore);
            library.setLevel(libraryBefore);
        }
    }

    /** Drives the gateway the ways that carry secrets; returns every secret it used. */
    private static List<String> exercise(Gateway gateway) {
        Http.Reply login = Http.postJson(gateway.url("/login"), null, "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(200, login.status(), login.body());
        String token = login.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        assertEquals(401, Http.postJson(gateway.url("/login"), null,
                "{\"username\":\"" + PASSWORD + "\",\"password\":\"" + PASSWORD + "\"}").status());
        assertEquals(401, Http.send(new Request.Builder().url(gateway.url("/login"))
                .post(okhttp3.RequestBody.create("username=alice&password=" + PASSWORD.replace(' ', '+') + "x",
                        okhttp3.MediaType.get("application/x-www-form-urlencoded"))).build()).status());

        String forged = Jwts.hs256("a-key-that-is-not-the-gateways-0123456789abcdef",
                new JWTClaimsSet.Builder().subject("mallory").claim("roles", List.of("admin")).build());

        try (SseRecorder byQuery = SseRecorder.open(gateway.url("/subscribe/logs?access_token=" + token));
             SseRecorder byCookie = SseRecorder.open(new Request.Builder().url(gateway.url("/subscribe/logs"))
                     .header("Cookie", "sse_token=" + token).build());
             SseRecorder byHeader = SseRecorder.open(new Request.Builder().url(gateway.url("/subscribe/logs"))
                     .header("Authorization", "Bearer " + token).build())) {
            assertEquals(200, byQuery.awaitOpen().code());
            assertEquals(200, byCookie.awaitOpen().code());
            assertEquals(200, byHeader.awaitOpen().code());
            assertEquals(201, Http.postText(gateway.url("/publish/logs?access_token=" + token), null, "one").status());
            assertEquals(201, Http.postJson(gateway.url("/broadcast"), token, "{\"namespace\":\"/logs\",\"data\":\"two\"}").status());
            assertEquals(List.of("one", "two"), byQuery.nextData(2));
            assertEquals(List.of("one", "two"), byCookie.nextData(2));
        }

        for (String bad : List.of(forged, token + "x", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")) {
            assertEquals(401, RawHttp.exchange(gateway.port(), "GET", "/subscribe/logs?access_token=" + bad, null).status());
            assertEquals(401, RawHttp.exchange(gateway.port(), "GET", "/subscribe/logs", null, "Cookie: sse_token=" + bad).status());
            assertEquals(401, Http.postJson(gateway.url("/broadcast"), bad, "{\"data\":\"x\"}").status());
            assertEquals(401, Http.get(gateway.url("/status?access_token=" + bad), null).status());
            assertEquals(401, Http.get(gateway.url("/status"), bad).status());
        }
        String basic = java.util.Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertEquals(401, Http.send(new Request.Builder().url(gateway.url("/status"))
                .header("Authorization", "Basic " + basic).build()).status());
        assertEquals(403, Http.get(gateway.url("/status"), token).status());
        // Requests that fail inside the stack, with the token next to the fault.
        assertEquals(400, RawHttp.exchange(gateway.port(), "GET", "/subscribe/logs?topic=%zz&access_token=" + token, null).status());
        assertEquals(400, RawHttp.exchange(gateway.port(), "GET", "/status?x=%zz&access_token=" + token, null).status());
        assertEquals(404, RawHttp.exchange(gateway.port(), "GET", "/nowhere?access_token=" + token, null).status());
        assertEquals(400, RawHttp.exchange(gateway.port(), "POST", "/broadcast?access_token=" + token, "[".repeat(5000),
                "Content-Type: application/json").status());
        assertEquals(414, RawHttp.exchange(gateway.port(), "GET", "/subscribe/logs?access_token=" + token + "&pad="
                + "p".repeat(40_000), null).status());
        assertEquals(431, RawHttp.exchange(gateway.port(), "GET", "/subscribe/logs", null,
                "Authorization: Bearer " + token, "X-Pad: " + "p".repeat(40_000)).status());
        return List.of(token, forged, PASSWORD, PASSWORD.replace(' ', '+'), basic);
    }

    /** The message and every exception message and class in its causes. */
    private static String text(ILoggingEvent e) {
        StringBuilder s = new StringBuilder(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            s.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return s.toString();
    }
}
