package io.ssegateway.security;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With only an identity provider's keys, the gateway has nothing to sign its own tokens with. */
class LoginWithoutSecretTest {

    private static Map<String, Object> properties(String jwksUrl) {
        Map<String, Object> properties = new HashMap<>(LoginControllerTest.SERVER);
        properties.put("jwt.secret", "");
        properties.put("jwt.jwks-url", jwksUrl);
        return properties;
    }

    @Test
    void loginIsRefusedAs401DisabledWhenOnlyAJwksUrlIsConfigured() throws Exception {
        try (JwksServer provider = new JwksServer();
             EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, properties(provider.url()))) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"x\"}"))
                    .build();

            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

            // SPEC §4: /login answers a token or 401; the code says why no password would do.
            assertEquals(401, response.statusCode());
            assertEquals("Bearer", response.headers().firstValue("WWW-Authenticate").orElse(null));
            assertTrue(response.body().contains("\"error\":\"DISABLED\""), response.body());
            assertTrue(response.body().contains("JWT_SECRET"), response.body());
        }
    }
}
