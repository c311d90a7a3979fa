package io.ssegateway.ingress;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.Publisher;
import io.ssegateway.core.Reason;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.ssegateway.security.Principal;
import io.ssegateway.security.PrincipalAuthentication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The curl-friendly ways to publish to a namespace given in the path:
 * <ul>
 *   <li>{@code POST /publish/{namespace...}?event=TYPE} with the raw body as data;</li>
 *   <li>{@code GET /publish/{namespace...}?TYPE=DATA[&TYPE2=DATA2...]}, SSE-Server style, one
 *       event per parameter in order; only with {@code SSE_HTTP_QUERY_PUBLISH=true}, since a
 *       GET that changes state can be triggered by any link or image tag.</li>
 * </ul>
 * Both need a publisher token, like {@code /broadcast}.
 */
@Controller
@Secured({Principal.ROLE_PUBLISHER, Principal.ROLE_ADMIN})
public class PublishController {
    /** Query parameters that configure the request rather than name an event. */
    private static final String ACCESS_TOKEN = "access_token";

    private final Publisher publisher;
    private final GatewayConfig config;
    private final Idempotency idempotency;

    public PublishController(Publisher publisher, GatewayConfig config, Idempotency idempotency) {
        this.publisher = publisher;
        this.config = config;
        this.idempotency = idempotency;
    }

    @Post("/publish{/path:.*}")
    @Consumes(MediaType.ALL)
    public CompletableFuture<HttpResponse<PublishAnswer>> publish(
            @Nullable @PathVariable("path") String path,
            @Nullable @QueryValue("event") String event,
            @Nullable @QueryValue("private") String privateEvent,
            @Nullable @QueryValue("user") String user,
            Authentication authentication,
            @Nullable @Header(Idempotency.HEADER) String idempotencyKey,
            @Nullable @Body String body) {
        Principal caller = PrincipalAuthentication.of(authentication);
        Namespace namespace = namespace(path);
        EventDraft draft = new EventDraft(List.of(namespace), event, body == null ? "" : body,
                flag("private", privateEvent), user);
        if (idempotencyKey != null) {
            return idempotency.publish(idempotencyKey, caller, "/publish", List.of(draft), false);
        }
        return publisher.publish(draft, caller.publishGrant(), "http")
                .thenApply(e -> HttpResponse.status(HttpStatus.CREATED).body(PublishAnswer.of(e)));
    }

    @Get("/publish{/path:.*}")
    public CompletableFuture<HttpResponse<PublishAnswer>> publishByQuery(
            HttpRequest<?> request,
            @Nullable @PathVariable("path") String path,
            Authentication authentication) {
        if (!config.httpQueryPublish()) {
            throw new GatewayException(Reason.METHOD_NOT_ALLOWED,
                    "publishing with GET is off; use POST, or set SSE_HTTP_QUERY_PUBLISH=true");
        }
        Principal caller = PrincipalAuthentication.of(authentication);
        Namespace namespace = namespace(path);
        List<EventDraft> drafts = new ArrayList<>();
        for (String[] pair : orderedQuery(request.getUri().getRawQuery())) {
            if (!pair[0].equals(ACCESS_TOKEN)) {
                drafts.add(EventDraft.of(namespace, pair[0], pair[1]));
            }
        }
        if (drafts.isEmpty()) {
            throw new GatewayException(Reason.INVALID_BODY, "give at least one TYPE=DATA query parameter");
        }
        if (drafts.size() > BroadcastRequest.MAX_BATCH) {
            throw new GatewayException(Reason.INVALID_BODY, "at most " + BroadcastRequest.MAX_BATCH + " events per request");
        }
        return publisher.publishAll(drafts, caller.publishGrant(), "http")
                    .thenApply(events -> HttpResponse.status(HttpStatus.CREATED).body(PublishAnswer.of(events)));
    }

    /**
     * {@code true}, {@code false}, or present without a value (true); nothing else. A lenient
     * reading would turn a typo such as {@code private=ture} into a public event that every
     * subscriber sees.
     */
    private static boolean flag(String name, String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.isEmpty() || value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new GatewayException(Reason.INVALID_BODY, name + " must be true or false");
    }

    private static Namespace namespace(String path) {
        return path == null || path.isEmpty() || path.equals("/") ? Namespace.ROOT
                : Namespace.parse(path.startsWith("/") ? path : "/" + path);
    }

    /** Query parameters in the order they were written, decoded; a map would lose the order. */
    private static List<String[]> orderedQuery(String raw) {
        List<String[]> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = QueryStringDecoder.decodeComponent(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : QueryStringDecoder.decodeComponent(part.substring(eq + 1), StandardCharsets.UTF_8);
            out.add(new String[] {name, value});
        }
        return out;
    }
}
