package io.ssegateway.ingress;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.ssegateway.core.Reason;
import io.ssegateway.core.Refusal;
import jakarta.inject.Singleton;

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
        Refusal refusal = Refusal.ofStatus(status, statusName(status),
                TOKEN_PARAMETER.matcher(message).replaceAll("access_token=(hidden)"));
        // Micronaut may have set one already (the Allow of its own 405): its value is the one that knows the route.
        refusal.headers().forEach((name, value) -> {
            if (!typed.getHeaders().contains(name)) {
                typed.header(name, value);
            }
        });
        return typed.body(refusal.body()).contentType(Refusal.CONTENT_TYPE);
    }

    /** The name of a status no {@link Reason} stands for ({@code UNSUPPORTED_MEDIA_TYPE}). */
    private static String statusName(int status) {
        try {
            return HttpStatus.valueOf(status).name();
        } catch (IllegalArgumentException e) {
            return "HTTP_" + status;
        }
    }
}
