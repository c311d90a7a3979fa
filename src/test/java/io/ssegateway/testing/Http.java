package io.ssegateway.testing;

import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/** A plain HTTP client for tests: request, status and body, nothing hidden. */
public final class Http {
    /** No read timeout: streams stay open; tests bound their waits themselves. */
    public static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .readTimeout(Duration.ZERO)
            .connectTimeout(Duration.ofSeconds(5))
            .retryOnConnectionFailure(false)
            .build();
    public static final MediaType JSON = MediaType.get("application/json");

    /** Status and body of one response. */
    public record Reply(int status, String body, okhttp3.Headers headers) {
    }

    private Http() {
    }

    public static Reply send(Request request) {
        try (Response r = CLIENT.newCall(request).execute()) {
            return new Reply(r.code(), r.body() == null ? "" : r.body().string(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Reply get(String url, String token) {
        Request.Builder b = new Request.Builder().url(url);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public static Reply postJson(String url, String token, String json) {
        Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(json, JSON));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    public static Reply postText(String url, String token, String text) {
        Request.Builder b = new Request.Builder().url(url).post(RequestBody.create(text, MediaType.get("text/plain")));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }
}
