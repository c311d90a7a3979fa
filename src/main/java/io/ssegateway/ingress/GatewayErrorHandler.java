package io.ssegateway.ingress;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import io.ssegateway.core.Refusal;
import io.micronaut.web.router.Router;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.stream.Collectors;

/**
 * Answers a refused request as its {@link Refusal} renders it: the status its {@link Reason}
 * maps to, the headers it calls for, and {@code {"error": "<REASON>", "message": "..."}}.
 */
@Singleton
@Produces
@Requires(classes = {GatewayException.class, ExceptionHandler.class})
public class GatewayErrorHandler implements ExceptionHandler<GatewayException, HttpResponse<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayErrorHandler.class);

    private final Router router;

    public GatewayErrorHandler(Router router) {
        this.router = router;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, GatewayException e) {
        MutableHttpResponse<String> response = response(e);
        if (e.reason() == Reason.METHOD_NOT_ALLOWED) {
            // RFC 9110 §15.5.6: a 405 lists the methods the path does take.
            String allowed = router.findAny(request.getPath(), request)
                    .map(match -> match.getHttpMethod().name())
                    // HEAD rides on GET: a GET that is off is a HEAD that is off.
                    .filter(method -> !method.equals(request.getMethodName()) && !method.equals("HEAD"))
                    .distinct().sorted().collect(Collectors.joining(", "));
            if (!allowed.isEmpty()) {
                response.header(Refusal.ALLOW, allowed);
            }
        }
        return response;
    }

    /** The response for a refusal thrown by a controller. */
    public static MutableHttpResponse<String> response(GatewayException e) {
        if (e.reason() == Reason.BROKER_UNAVAILABLE || e.reason() == Reason.PUBLISH_OUTCOME_UNKNOWN) {
            LOG.warn("event=publish-refused reason={} cause={}", e.reason(), e.getCause() == null ? "-" : e.getCause().toString());
        }
        return RefusalResponses.http(Refusal.of(e));
    }
}
