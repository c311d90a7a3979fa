package io.ssegateway.security;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.ssegateway.core.Namespace;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginControllerTest implements TestPropertyProvider {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;
    @Inject
    TokenVerifier verifier;
    @Inject
    JsonMapper json;

    /** A random port: application.properties asks for 8080, which another process may hold. */
    static final Map<String, String> SERVER = Map.of("micronaut.server.port", "-1");

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(SERVER);
        properties.putAll(Map.of(
                "jwt.secret", Jwts.SECRET,
                "jwt.jwks-url", "",
                "sse.users.alice.password-hash", UserStoreTest.hash(BCrypt.Version.VERSION_2Y, "wonder land&more"),
                "sse.users.alice.roles", "publisher",
                "sse.users.alice.publish", "/pets",
                "sse.users.alice.subscribe", "/,/news"));
        return properties;
    }

    private HttpResponse<String> post(String contentType, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/login"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Object> body(HttpResponse<String> response) throws IOException {
        return json.readValue(response.body(), Argument.mapOf(String.class, Object.class));
    }

    @Test
    void rightPasswordGetsABearerTokenWithTheUsersClaims() throws Exception {
        HttpResponse<String> response = post("application/json", "{\"username\":\"alice\",\"password\":\"wonder land&more\"}");

        assertEquals(200, response.statusCode());
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(null));
        Map<String, Object> body = body(response);
        assertEquals("Bearer", body.get("token_type"));
        assertEquals(3600, ((Number) body.get("expires_in")).intValue());
        Principal alice = verifier.verify((String) body.get("access_token"));
        assertEquals("alice", alice.subject());
        assertEquals(Set.of("publisher"), alice.roles());
        assertEquals(List.of(Namespace.parse("/pets")), alice.publish());
        assertEquals(List.of(Namespace.ROOT, Namespace.parse("/news")), alice.subscribe());
    }

    @Test
    void formFieldsWorkToo() throws Exception {
        HttpResponse<String> response = post("application/x-www-form-urlencoded",
                "username=alice&password=wonder+land%26more");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("alice", verifier.verify((String) body(response).get("access_token")).subject());
    }

    @Test
    void wrongPasswordIsUnauthorized() throws Exception {
        HttpResponse<String> response = post("application/json", "{\"username\":\"alice\",\"password\":\"wonderland\"}");

        assertEquals(401, response.statusCode());
        Map<String, Object> body = body(response);
        assertEquals("UNAUTHORIZED", body.get("error"));
        assertNull(body.get("access_token"));
    }

    @Test
    void unknownUserGetsTheSameAnswerAsAWrongPassword() throws Exception {
        HttpResponse<String> unknown = post("application/json", "{\"username\":\"mallory\",\"password\":\"x\"}");
        HttpResponse<String> wrong = post("application/json", "{\"username\":\"alice\",\"password\":\"x\"}");

        assertEquals(401, unknown.statusCode());
        assertEquals(wrong.body(), unknown.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{}", "{\"username\":\"alice\"}", "{\"username\":1,\"password\":\"x\"}",
            "{\"username\":\"alice\",\"password\":null}", "{\"username\":\"alice\",\"password\":\"x\""})
    void malformedJsonBodyIsABadRequest(String body) throws Exception {
        HttpResponse<String> response = post("application/json", body);

        assertEquals(400, response.statusCode(), response.body());
        assertEquals("INVALID_BODY", body(response).get("error"));
    }

    @Test
    void formWithoutPasswordIsABadRequest() throws Exception {
        assertEquals(400, post("application/x-www-form-urlencoded", "username=alice").statusCode());
    }

    @Test
    void oversizedBodyIsRefused() throws Exception {
        String body = "{\"username\":\"alice\",\"password\":\"" + "x".repeat(LoginController.MAX_BODY_BYTES) + "\"}";

        HttpResponse<String> response = post("application/json", body);

        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("PAYLOAD_TOO_LARGE"));
    }

    /**
     * The users' passwords are checked by /login alone, on its throttled pool: Micronaut's Basic
     * auth would check them for any request, on the event loop, with no limit on the guesses.
     */
    @Test
    void basicCredentialsOpenNothing() throws Exception {
        String basic = "Basic " + java.util.Base64.getEncoder()
                .encodeToString("alice:wonder land&more".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getPort() + "/publish/pets?greeting=hi"))
                .header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(401, response.statusCode(), response.body());
        assertEquals("UNAUTHORIZED", body(response).get("error"));
    }

    @Test
    void theTokenCarriesTheConfiguredIssuerAndAudience() throws Exception {
        try (io.micronaut.runtime.server.EmbeddedServer other = io.micronaut.context.ApplicationContext.run(
                io.micronaut.runtime.server.EmbeddedServer.class, withIssuer())) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + other.getPort() + "/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"wonder land&more\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), response.body());
            String token = (String) body(response).get("access_token");
            assertEquals("alice", other.getApplicationContext().getBean(TokenVerifier.class).verify(token).subject());
            com.nimbusds.jwt.JWTClaimsSet claims = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet();
            assertEquals("https://sse.example", claims.getIssuer());
            assertEquals(List.of("sse"), claims.getAudience());
            assertEquals("JWT", com.nimbusds.jwt.SignedJWT.parse(token).getHeader().getType().getType());
        }
    }

    private Map<String, Object> withIssuer() {
        Map<String, Object> properties = new HashMap<>(getProperties());
        properties.put("jwt.issuer", "https://sse.example");
        properties.put("jwt.audience", "sse");
        return properties;
    }
}
