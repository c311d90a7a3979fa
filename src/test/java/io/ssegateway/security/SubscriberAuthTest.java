package io.ssegateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SSE endpoint asks the token verifier who is subscribing, over a real HTTP port. */
class SubscriberAuthTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static EmbeddedServer tokenRequired;
    private static EmbeddedServer tokenOptional;

    @BeforeAll
    static void start() {
        tokenRequired = ApplicationContext.run(EmbeddedServer.class, properties("jwt"));
        tokenOptional = ApplicationContext.run(EmbeddedServer.class, properties("none"));
    }

    @AfterAll
    static void stop() {
        tokenRequired.close();
        tokenOptional.close();
    }

    private static Map<String, Object> properties(String subscribeAuth) {
        Map<String, Object> properties = new HashMap<>(LoginControllerTest.SERVER);
        properties.put("jwt.secret", Jwts.SECRET);
        properties.put("jwt.jwks-url", "");
        properties.put("sse.subscribe-auth", subscribeAuth);
        // Two instances in one JVM must not both take the control port.
        properties.put("sse.control-port", 0);
        return properties;
    }

    private static String token(List<String> subscribe) {
        return Jwts.hs256(new JWTClaimsSet.Builder().subject("sam").claim("subscribe", subscribe).build());
    }

    /** The status of a subscription; the stream is closed as soon as its head has arrived. */
    private static int subscribe(EmbeddedServer server, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        return response.statusCode();
    }

    @Test
    void subscriptionWithoutTokenIsUnauthorizedWhenTokensAreRequired() throws Exception {
        assertEquals(401, subscribe(tokenRequired, "/subscribe/pets"));
        assertEquals(401, subscribe(tokenRequired, "/subscribe/pets?access_token=garbage"));
    }

    @Test
    void tokenCoveringTheNamespaceOpensTheStreamFromAnyOfItsPlaces() throws Exception {
        String token = token(List.of("/pets"));

        assertEquals(200, subscribe(tokenRequired, "/subscribe/pets/cats", "Authorization", "Bearer " + token));
        assertEquals(200, subscribe(tokenRequired, "/subscribe/pets?access_token=" + token));
        assertEquals(200, subscribe(tokenRequired, "/subscribe/pets", "Cookie", "sse_token=" + token));
    }

    @Test
    void namespaceOrTopicOutsideTheSubscribeClaimIsForbidden() throws Exception {
        String token = token(List.of("/pets"));

        assertEquals(403, subscribe(tokenRequired, "/subscribe/petshop?access_token=" + token));
        assertEquals(403, subscribe(tokenRequired, "/subscribe/pets?topic=/news&access_token=" + token));
        assertEquals(403, subscribe(tokenRequired, "/subscribe?access_token=" + token));
    }

    @Test
    void withoutTokenModeAnyoneSubscribesButASentTokenMustBeValid() throws Exception {
        assertEquals(200, subscribe(tokenOptional, "/subscribe/pets"));
        assertEquals(200, subscribe(tokenOptional, "/subscribe/pets?access_token=" + token(List.of())));
        assertEquals(401, subscribe(tokenOptional, "/subscribe/pets", "Authorization", "Bearer garbage"));
    }
}
