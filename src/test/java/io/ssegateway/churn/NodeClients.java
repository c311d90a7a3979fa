package io.ssegateway.churn;

import io.ssegateway.testing.JsonTree;
import io.ssegateway.testing.Await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * EventSources of the npm {@code eventsource} package (src/test/node, installed there with
 * {@code npm ci}), in one Node process that reports every state change and event as a JSON
 * line ({@code churn-clients.mjs}).
 */
final class NodeClients implements ClientGroup {
    static final Path DIR = Path.of("src", "test", "node");

    private final Process process;
    private final Map<String, Seen> clients = new LinkedHashMap<>();
    private final Thread reader;
    private volatile boolean started;

    private NodeClients(Process process, List<Target> targets, Path log) {
        this.process = process;
        for (Target t : targets) {
            clients.put(t.name(), new Seen(t.via()));
        }
        this.reader = new Thread(() -> read(log), "churn-node-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Why these clients cannot run here, or null when they can. */
    static String unavailable() {
        if (!Files.isDirectory(DIR.resolve("node_modules").resolve("eventsource"))) {
            return "the npm eventsource package is not installed: run 'npm ci --prefix " + DIR + "'";
        }
        return null;
    }

    static NodeClients open(List<Target> targets, Path dir) throws IOException {
        List<Map<String, String>> spec = targets.stream().map(t -> Map.of("name", t.name(), "url", t.url())).toList();
        Process process = new ProcessBuilder("node", DIR.resolve("churn-clients.mjs").toString(), JsonTree.MAPPER.writeValueAsString(spec))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("node-clients.err").toFile()))
                .start();
        NodeClients group = new NodeClients(process, targets, dir.resolve("node-clients.log"));
        try {
            Await.until(Duration.ofSeconds(20), "the node clients to start", group::started);
        } catch (RuntimeException | Error e) {
            group.close();
            throw e;
        }
        return group;
    }

    private boolean started() {
        if (!process.isAlive()) {
            throw new AssertionError("node exited with " + process.exitValue() + "; see target/churn/node-clients.err");
        }
        return started;
    }

    private void read(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line);
                out.newLine();
                take(JsonTree.parse(line));
            }
        } catch (IOException e) {
            // The process ended; what it said is recorded.
        }
    }

    private void take(JsonTree line) {
        String type = line.path("t").asText();
        if (type.equals("started")) {
            started = true;
            return;
        }
        Seen seen = clients.get(line.path("c").asText());
        synchronized (seen) {
            if (type.equals("state")) {
                int state = line.path("readyState").asInt();
                seen.log.add(new ClientRecord.Change(System.currentTimeMillis(), line.path("why").asText(), state,
                        line.hasNonNull("message") ? line.path("message").asText() : null));
                seen.closed |= state == 2;
            } else if (line.path("type").asText().equals("history-gap")) {
                seen.gaps++;
            } else {
                long seq = JsonTree.parse(line.path("data").asText()).path("seq").asLong();
                seen.seqs.add(seq);
                seen.last = Math.max(seen.last, seq);
                if (seen.first < 0) {
                    seen.first = seq;
                }
            }
        }
    }

    @Override
    public List<ClientRecord.Status> status() {
        List<ClientRecord.Status> list = new ArrayList<>();
        clients.forEach((name, seen) -> {
            synchronized (seen) {
                list.add(new ClientRecord.Status(name, seen.closed, seen.first, seen.last));
            }
        });
        return list;
    }

    @Override
    public List<ClientRecord> records() {
        List<ClientRecord> list = new ArrayList<>();
        clients.forEach((name, seen) -> {
            synchronized (seen) {
                list.add(new ClientRecord(name, seen.via, List.copyOf(seen.seqs), seen.closed, seen.gaps, List.copyOf(seen.log)));
            }
        });
        return list;
    }

    /** Closing its stdin ends the script; it is killed if it does not go. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** One client's observations, guarded by itself. */
    private static final class Seen {
        final String via;
        final List<Long> seqs = new ArrayList<>();
        final List<ClientRecord.Change> log = new ArrayList<>();
        boolean closed;
        int gaps;
        long first = -1;
        long last = -1;

        Seen(String via) {
            this.via = via;
        }
    }
}
