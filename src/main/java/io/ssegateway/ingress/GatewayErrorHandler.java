package io.ssegateway.ingress;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Reason;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers a refused request with the status its {@link Reason} maps to and a JSON body
 * {@code {"error": "<REASON>", "message": "..."}} that says why.
 */
@Singleton
@Produces
@Requires(classes = {GatewayException.class, ExceptionHandler.class})
public class GatewayErrorHandler implements ExceptionHandler<GatewayException, HttpResponse<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayErrorHandler.class);

    @Override
    public HttpResponse<?> handle(HttpRequest request, GatewayException e) {
        return response(e);
    }

    /** The response for a refusal: status from the reason, JSON body, and the headers it calls for. */
    public static MutableHttpResponse<Map<String, Object>> response(GatewayException e) {
        Reason reason = e.reason();
        if (reason == Reason.BROKER_UNAVAILABLE || reason == Reason.PUBLISH_OUTCOME_UNKNOWN) {
            LOG.warn("event=publish-refused reason={} cause={}", reason, e.getCause() == null ? "-" : e.getCause().toString());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", reason.name());
        body.put("message", e.getMessage());
        MutableHttpResponse<Map<String, Object>> response = HttpResponse.<Map<String, Object>>status(
                io.micronaut.http.HttpStatus.valueOf(reason.httpStatus())).body(body);
        switch (reason) {
            case UNAUTHORIZED -> response.header("WWW-Authenticate", "Bearer");
            case BROKER_UNAVAILABLE, DRAINING, TOO_MANY_CONNECTIONS -> response.header("Retry-After", "1");
            case DISABLED -> response.header("Allow", "POST");
            default -> { }
        }
        return response;
    }
}
