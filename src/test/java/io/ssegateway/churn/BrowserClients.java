package io.ssegateway.churn;

import com.sun.net.httpserver.HttpServer;
import io.ssegateway.testing.Chromium;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Native EventSources in a real headless Chromium, all in one page of a site of its own
 * ({@code http://127.0.0.1:PORT/}, served here), each opened cross-origin to the nginx or to
 * an instance, as a web application's page would. The page ({@code churn/page.html}) records
 * every readyState change and every event.
 *
 * <p>Chromium opens at most 6 HTTP/1.1 connections per host and port, and each open
 * EventSource holds one: so no origin gets more than 4 here, and the same servers are also
 * reached as {@code localhost}, which is another origin for the browser.
 */
final class BrowserClients implements ClientGroup {
    private final HttpServer site;
    private final Chromium browser;
    private final Map<String, String> vias;

    private BrowserClients(HttpServer site, Chromium browser, Map<String, String> vias) {
        this.site = site;
        this.browser = browser;
        this.vias = vias;
    }

    /** The site's origin, which the gateways must allow (SSE_ALLOWED_ORIGINS). */
    static String origin(HttpServer site) {
        return "http://127.0.0.1:" + site.getAddress().getPort();
    }

    /** Serves the page on a free loopback port; the gateways are told its origin before the browser starts. */
    static HttpServer site() throws IOException {
        byte[] page;
        try (InputStream in = BrowserClients.class.getResourceAsStream("/churn/page.html")) {
            page = in.readAllBytes();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Starts Chromium on the site's page and opens one EventSource per target. */
    static BrowserClients open(HttpServer site, List<Target> targets) throws IOException {
        Chromium browser = Chromium.start();
        try {
            browser.navigate(origin(site) + "/");
            Map<String, String> vias = new java.util.LinkedHashMap<>();
            for (Target t : targets) {
                browser.evaluate("churn.open(" + js(t.name()) + ", " + js(t.url()) + ")");
                vias.put(t.name(), t.via());
            }
            return new BrowserClients(site, browser, vias);
        } catch (RuntimeException | Error e) {
            browser.close();
            throw e;
        }
    }

    @Override
    public List<ClientRecord.Status> status() {
        List<ClientRecord.Status> list = new ArrayList<>();
        for (Object row : (List<?>) browser.evaluate("churn.summary()")) {
            List<?> r = (List<?>) row;
            list.add(new ClientRecord.Status((String) r.get(0), (Boolean) r.get(1), ((Number) r.get(2)).longValue(),
                    ((Number) r.get(3)).longValue()));
        }
        return list;
    }

    @Override
    public List<ClientRecord> records() {
        List<ClientRecord> list = new ArrayList<>();
        for (Object row : (List<?>) browser.evaluate("churn.records()")) {
            Map<?, ?> r = (Map<?, ?>) row;
            String name = (String) r.get("name");
            List<Long> seqs = ((List<?>) r.get("seqs")).stream().map(n -> ((Number) n).longValue()).toList();
            List<ClientRecord.Change> log = ((List<?>) r.get("log")).stream().map(e -> {
                List<?> entry = (List<?>) e;
                return new ClientRecord.Change(((Number) entry.get(0)).longValue(), (String) entry.get(1),
                        ((Number) entry.get(2)).intValue(), null);
            }).toList();
            list.add(new ClientRecord(name, vias.get(name), seqs, (Boolean) r.get("closed"),
                    ((Number) r.get("gaps")).intValue(), log));
        }
        return list;
    }

    @Override
    public void close() {
        try {
            browser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            site.stop(0);
        }
    }

    private static String js(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
