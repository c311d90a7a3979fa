package io.ssegateway.ingress;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Publisher;
import io.ssegateway.core.Reason;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.ssegateway.security.Principal;
import io.ssegateway.security.PrincipalAuthentication;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /broadcast}: publish one event or a batch as JSON, with a publisher token.
 * Answers {@code 201 {"id": ..., "namespaces": [...]}} ({@code ids} for a batch).
 */
@Controller
@Secured({Principal.ROLE_PUBLISHER, Principal.ROLE_ADMIN})
public class BroadcastController {
    private final Publisher publisher;
    private final JsonMapper json;
    private final Idempotency idempotency;

    public BroadcastController(Publisher publisher, JsonMapper json, Idempotency idempotency) {
        this.publisher = publisher;
        this.json = json;
        this.idempotency = idempotency;
    }

    @Post("/broadcast")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN, MediaType.ALL})
    public CompletableFuture<HttpResponse<PublishAnswer>> broadcast(
            Authentication authentication,
            @Nullable @Header(Idempotency.HEADER) String idempotencyKey,
            @Nullable @Body String body) {
        Principal caller = PrincipalAuthentication.of(authentication);
        JsonNode root = parse(body);
        if (idempotencyKey != null) {
            List<EventDraft> drafts = root.isArray() ? BroadcastRequest.parseBatch(root, json)
                    : List.of(BroadcastRequest.parseOne(root, json));
            return idempotency.publish(idempotencyKey, caller, "/broadcast", drafts, root.isArray());
        }
        if (root.isArray()) {
            List<EventDraft> drafts = BroadcastRequest.parseBatch(root, json);
            return publisher.publishAll(drafts, caller.publishGrant(), "http")
                    .thenApply(events -> HttpResponse.status(HttpStatus.CREATED).body(PublishAnswer.of(events)));
        }
        EventDraft draft = BroadcastRequest.parseOne(root, json);
        return publisher.publish(draft, caller.publishGrant(), "http")
                .thenApply((Event e) -> HttpResponse.status(HttpStatus.CREATED).body(PublishAnswer.of(e)));
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new GatewayException(Reason.INVALID_BODY, "the body must be a JSON event or an array of events");
        }
        try {
            return json.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            JsonLocation at = location(e);
            // A parser limit (nesting depth, number or string length) comes without a location.
            throw new GatewayException(Reason.INVALID_BODY, at == null
                    ? "the body is beyond the JSON parser's limits (nesting depth or value length)"
                    : "the body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        }
    }

    /**
     * Where the parser stopped. micronaut-serde-jackson parses with jackson-core and passes its
     * exception on, possibly wrapped; the position tells a caller which character to fix.
     */
    private static JsonLocation location(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException p && p.getLocation() != null) {
                return p.getLocation();
            }
        }
        return null;
    }
}
