package io.ssegateway.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.UsernamePasswordCredentials;
import io.micronaut.security.rules.SecurityRule;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ssegateway.core.Reason;
import io.ssegateway.core.Refusal;
import io.ssegateway.ingress.RefusalResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /login}: trades a configured user's name and password for a token.
 *
 * <p>Takes JSON {@code {"username":…,"password":…}} or the same two fields form-urlencoded.
 * Answers {@code 200 {"access_token":…,"token_type":"Bearer","expires_in":<seconds>}};
 * {@code 401} for a wrong name or password (the same answer for both, in the same time);
 * {@code 400} for a body that is not such an object; {@code 429} with {@code Retry-After} past
 * the failed attempts an address or a user name may make ({@link LoginThrottle}, on whose pool
 * {@link UserStoreAuthenticationProvider} checks the password, off the event loops); the token
 * comes from {@link TokenIssuer} (Micronaut's {@code JwtTokenGenerator}); {@code 413} for a body over
 * {@value #MAX_BODY_BYTES} bytes; {@code 401 DISABLED} when the gateway has only a JWK set and
 * so no secret to sign with, since its tokens then come from the identity provider (SPEC §4:
 * a token or 401, whatever the password). Errors have the
 * gateway's shape {@code {"error":"<REASON>","message":…}}, answered here so that this endpoint
 * does not depend on the global error mapping.
 */
@Controller("/login")
@Secured(SecurityRule.IS_ANONYMOUS)
public final class LoginController {
    private static final Logger LOG = LoggerFactory.getLogger(LoginController.class);

    /** Two short strings; anything much larger is not a login. */
    public static final int MAX_BODY_BYTES = 8 * 1024;

    private final UserStoreAuthenticationProvider<?> users;
    private final TokenIssuer issuer;
    private final JsonMapper json;
    private final LoginThrottle throttle;

    public LoginController(UserStoreAuthenticationProvider<?> users, TokenIssuer issuer, JsonMapper json,
                           LoginThrottle throttle) {
        this.throttle = throttle;
        this.users = users;
        this.issuer = issuer;
        this.json = json;
    }

    private record Credentials(String username, String password) {
    }

    @Post(consumes = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED},
            produces = MediaType.APPLICATION_JSON)
    public CompletableFuture<HttpResponse<?>> login(HttpRequest<?> request, @Body @Nullable String body) {
        if (!issuer.canIssue()) {
            return error(Reason.DISABLED, TokenIssuer.CANNOT_ISSUE);
        }
        if (body != null && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            return error(Refusal.bodyTooLarge(MAX_BODY_BYTES));
        }
        boolean form = request.getContentType().map(t -> t.matches(MediaType.APPLICATION_FORM_URLENCODED_TYPE))
                .orElse(false);
        Credentials credentials = form ? fromForm(body) : fromJson(body);
        if (credentials == null) {
            return error(Reason.INVALID_BODY,
                    "expected {\"username\":\"…\",\"password\":\"…\"} as JSON or form fields");
        }
        String address = request.getRemoteAddress().getAddress().getHostAddress();
        return throttle.attempt(address, credentials.username(),
                        () -> authenticated(users.authenticate(null,
                                new UsernamePasswordCredentials(credentials.username(), credentials.password()))))
                .<HttpResponse<?>>thenApply(user -> user.map(this::issue).orElseGet(() -> {
                    // The address, never the name tried: a password typed into the name field stays out of the log.
                    LOG.info("login=refused remote={}", address);
                    return RefusalResponses.http(Refusal.of(Reason.UNAUTHORIZED, "wrong username or password"));
                }))
                .exceptionally(e -> {
                    if (e.getCause() instanceof LoginThrottle.Refused refused) {
                        return RefusalResponses.http(refused.refusal());
                    }
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                });
    }

    private static Optional<Authentication> authenticated(AuthenticationResponse response) {
        return response.isAuthenticated() ? response.getAuthentication() : Optional.empty();
    }

    private HttpResponse<?> issue(Authentication user) {
        Duration lifetime = issuer.defaultLifetime();
        String token = issuer.issue(user, lifetime);
        LOG.info("login=ok user={}", user.getName());
        // RFC 6749 §5.1: a response that holds a token must not be cached.
        return HttpResponse.ok(LoginAnswer.bearer(token, lifetime.toSeconds())).header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    @Nullable
    private Credentials fromJson(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode fields;
        try {
            fields = json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (fields == null || !fields.isObject()) {
            return null;
        }
        JsonNode u = fields.get("username");
        JsonNode p = fields.get("password");
        // A number or true as a name is no login: refused as a malformed body, not tried.
        if (u == null || p == null || !u.isString() || !p.isString()) {
            return null;
        }
        return new Credentials(u.getStringValue(), p.getStringValue());
    }

    @Nullable
    private static Credentials fromForm(@Nullable String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        Map<String, List<String>> fields = new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters();
        List<String> u = fields.get("username");
        List<String> p = fields.get("password");
        if (u == null || p == null || u.size() != 1 || p.size() != 1) {
            return null;
        }
        return new Credentials(u.get(0), p.get(0));
    }

    private static CompletableFuture<HttpResponse<?>> error(Reason reason, String message) {
        return error(Refusal.of(reason, message));
    }

    private static CompletableFuture<HttpResponse<?>> error(Refusal refusal) {
        return CompletableFuture.completedFuture(RefusalResponses.http(refusal));
    }
}
