package io.ssegateway.ingress;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.ssegateway.core.Reason;
import io.ssegateway.core.Refusal;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Gives the refusals Micronaut makes itself (no route, wrong method, body over
 * {@code micronaut.server.max-request-size}, an argument that does not convert) the gateway's
 * error shape {@code {"error":"<CODE>","message":"..."}}, so a client reads every refusal the
 * same way. Unlike Micronaut's default body it does not echo the request URI, which may hold an
 * {@code access_token}; a 5xx says nothing of its cause.
 */
@Singleton
@Primary
final class ErrorBodies implements ErrorResponseProcessor<String> {
    private static final Pattern TOKEN_PARAMETER = Pattern.compile("access_token=[^&\\s\\]]*");

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<String> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        MutableHttpResponse<String> typed = (MutableHttpResponse<String>) response;
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return typed;
        }
        int status = response.code();
        String message = status >= 500 ? "internal error"
                : context.getErrors().stream().map(Error::getMessage).findFirst().orElse(response.reason());
        Refusal refusal = new Refusal(code(status), status,
                TOKEN_PARAMETER.matcher(message).replaceAll("access_token=(hidden)"), Map.of());
        return typed.body(refusal.body()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    /** The gateway's reason code where one has this status, otherwise the status's name. */
    static String code(int status) {
        return switch (status) {
            case 401 -> Reason.UNAUTHORIZED.name();
            case 403 -> Reason.FORBIDDEN.name();
            case 404 -> Reason.NOT_FOUND.name();
            case 405 -> Reason.METHOD_NOT_ALLOWED.name();
            case 413 -> Reason.PAYLOAD_TOO_LARGE.name();
            case 414 -> Reason.URI_TOO_LONG.name();
            case 431 -> Reason.HEADERS_TOO_LARGE.name();
            case 400 -> Reason.MALFORMED_REQUEST.name();
            default -> {
                try {
                    yield HttpStatus.valueOf(status).name();
                } catch (IllegalArgumentException e) {
                    yield "HTTP_" + status;
                }
            }
        };
    }
}
