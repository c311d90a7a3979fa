package io.ssegateway.testing;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the DevTools protocol with the JDK's own HTTP client and
 * WebSocket: no WebDriver, nothing to download. One browser, one tab to start with, more on demand.
 *
 * <p>The binary is {@code /usr/bin/chromium} unless the {@code chromium} system property names
 * another. Every wait is bounded.
 */
public final class Chromium implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final int port;
    private final Tab first;

    private Chromium(Process process, Path profile, int port, Tab first) {
        this.process = process;
        this.profile = profile;
        this.port = port;
        this.first = first;
    }

    /** Starts a fresh headless browser (its own temporary profile) and connects to its tab. */
    public static Chromium start() throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        Process process = new ProcessBuilder(System.getProperty("chromium", "/usr/bin/chromium"),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1280,900",
                "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try {
            // With port 0 the browser picks a port and writes it here.
            Path portFile = profile.resolve("DevToolsActivePort");
            Await.until(WAIT, () -> Files.exists(portFile) || !process.isAlive());
            if (!process.isAlive()) {
                throw new IOException("chromium exited: " + Files.readString(profile.resolve("chromium.log")));
            }
            Await.until(WAIT, () -> readLines(portFile).size() >= 2);
            int port = Integer.parseInt(readLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            JsonTree page = firstPage(http, port);
            return new Chromium(process, profile, port, Tab.connect(http, page));
        } catch (Exception e) {
            process.destroyForcibly();
            throw e instanceof IOException io ? io : new IOException("could not connect to chromium", e);
        }
    }

    private static JsonTree firstPage(HttpClient http, int port) throws IOException, InterruptedException {
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        for (JsonTree target : JsonTree.parse(list.body())) {
            if ("page".equals(target.path("type").asText())) {
                return target;
            }
        }
        throw new IOException("no page target in " + list.body());
    }

    /** Opens the URL and waits until the document has loaded. */
    public void navigate(String url) {
        first.navigate(url);
    }

    /**
     * The value of a JavaScript expression in the page (promises are awaited), as JSON types:
     * String, Boolean, Integer, Double, List, Map, or null.
     */
    public Object evaluate(String expression) {
        return first.evaluate(expression);
    }

    /** Waits until the expression is true in the page. */
    public void awaitTrue(Duration timeout, String expression) {
        first.awaitTrue(timeout, expression);
    }

    /** Saves a PNG of the visible page. */
    public void screenshot(Path file) throws IOException {
        JsonTree shot = first.call("Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** Opens another tab of the same browser (same profile, so same origin storage) on the URL. */
    public Tab openTab(String url) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/new?about:blank"))
                .PUT(HttpRequest.BodyPublishers.noBody()).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        Tab tab = Tab.connect(http, JsonTree.parse(created.body()));
        tab.navigate(url);
        return tab;
    }

    /** Closes a tab as a user would: its page unloads and what it held (connections, locks) is let go. */
    public void closeTab(Tab tab) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/close/" + tab.id))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.discarding());
        tab.socket.abort();
    }

    @Override
    public void close() throws IOException {
        first.socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** One page of the browser, driven over its own DevTools connection. */
    public static final class Tab {
        private final String id;
        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonTree>> pending;

        private Tab(String id, WebSocket socket, Map<Integer, CompletableFuture<JsonTree>> pending) {
            this.id = id;
            this.socket = socket;
            this.pending = pending;
        }

        static Tab connect(HttpClient http, JsonTree target) throws IOException {
            Map<Integer, CompletableFuture<JsonTree>> pending = new ConcurrentHashMap<>();
            try {
                WebSocket socket = http.newWebSocketBuilder()
                        .buildAsync(URI.create(target.path("webSocketDebuggerUrl").asText()), new Listener(pending))
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return new Tab(target.path("id").asText(), socket, pending);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new IOException("could not connect to the tab " + target, e);
            }
        }

        /** Opens the URL and waits until the document has loaded. */
        public void navigate(String url) {
            call("Page.navigate", Map.of("url", url));
            Await.until(WAIT, () -> "complete".equals(evaluate("document.readyState")));
        }

        /** The value of a JavaScript expression in the page (promises are awaited), as JSON types. */
        public Object evaluate(String expression) {
            JsonTree result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                    "awaitPromise", true));
            if (result.has("exceptionDetails")) {
                throw new AssertionError("script failed: " + result.path("exceptionDetails"));
            }
            return result.path("result").path("value").value();
        }

        /** Waits until the expression is true in the page. */
        public void awaitTrue(Duration timeout, String expression) {
            Await.until(timeout, () -> Boolean.TRUE.equals(evaluate(expression)));
        }

        private JsonTree call(String method, Map<String, Object> params) {
            int callId = ids.incrementAndGet();
            CompletableFuture<JsonTree> answer = new CompletableFuture<>();
            pending.put(callId, answer);
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("id", callId);
            message.put("method", method);
            message.put("params", params);
            socket.sendText(encode(message), true).join();
            try {
                JsonTree reply = answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                if (reply.has("error")) {
                    throw new AssertionError(method + " failed: " + reply.path("error"));
                }
                return reply.path("result");
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new AssertionError(method + " got no answer within " + WAIT, e);
            } finally {
                pending.remove(callId);
            }
        }
    }

    /**
     * Joins a message's fragments and hands each answer to its caller; events (messages without
     * an id) are not used.
     */
    private static final class Listener implements WebSocket.Listener {
        private final Map<Integer, CompletableFuture<JsonTree>> pending;
        private final StringBuilder partial = new StringBuilder();

        Listener(Map<Integer, CompletableFuture<JsonTree>> pending) {
            this.pending = pending;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                answer(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        private void answer(String text) {
            JsonTree message = JsonTree.parse(text);
            CompletableFuture<JsonTree> caller = message.has("id") ? pending.get(message.path("id").asInt()) : null;
            if (caller != null) {
                caller.complete(message);
            }
        }
    }

    private static String encode(Object value) {
        try {
            return JsonTree.MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
