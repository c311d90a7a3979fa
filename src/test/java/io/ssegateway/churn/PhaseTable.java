package io.ssegateway.churn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The run's result, per phase: how many clients were still alive (never CLOSED) at its end,
 * and, over all clients, how many of the events accepted (201) during it were missed, received
 * twice, or received out of order by the end of the run. Split by path: through nginx or
 * straight at an instance.
 */
final class PhaseTable {
    /**
     * One phase of the run.
     *
     * @param fromSeq  the first sequence number published in it
     * @param toSeq    the first one published after it
     * @param closedAtEnd clients whose EventSource had reached CLOSED by its end
     */
    record Phase(String name, long fromSeq, long toSeq, long millis, Set<String> closedAtEnd, String note) {
    }

    /** One row: counts per path ({@code nginx}, {@code direct}). */
    record Row(Phase phase, long accepted, Map<String, int[]> alive, Map<String, Long> missed,
               Map<String, Long> duplicated, Map<String, Long> outOfOrder) {
        long total(Map<String, Long> counts) {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final List<String> VIAS = List.of("nginx", "direct");

    private PhaseTable() {
    }

    static List<Row> rows(List<Phase> phases, NavigableMap<Long, Publisher.Outcome> outcomes, List<ClientRecord> clients) {
        List<Row> rows = new ArrayList<>();
        for (Phase phase : phases) {
            Set<Long> accepted = outcomes.subMap(phase.fromSeq(), true, phase.toSeq(), false).entrySet().stream()
                    .filter(e -> e.getValue() == Publisher.Outcome.ACCEPTED).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            Map<String, int[]> alive = new HashMap<>();
            Map<String, Long> missed = new HashMap<>();
            Map<String, Long> duplicated = new HashMap<>();
            Map<String, Long> outOfOrder = new HashMap<>();
            for (ClientRecord c : clients) {
                int[] a = alive.computeIfAbsent(c.via(), k -> new int[2]);
                a[1]++;
                if (!phase.closedAtEnd().contains(c.name())) {
                    a[0]++;
                }
                Counts n = counts(c.seqs(), accepted);
                missed.merge(c.via(), n.missed, Long::sum);
                duplicated.merge(c.via(), n.duplicated, Long::sum);
                outOfOrder.merge(c.via(), n.outOfOrder, Long::sum);
            }
            rows.add(new Row(phase, accepted.size(), alive, missed, duplicated, outOfOrder));
        }
        return rows;
    }

    record Counts(long missed, long duplicated, long outOfOrder) {
    }

    /** Of {@code accepted}, what one client missed, got twice, or got after a later event. */
    static Counts counts(List<Long> received, Set<Long> accepted) {
        Map<Long, Integer> times = new HashMap<>();
        long outOfOrder = 0;
        long highest = Long.MIN_VALUE;
        for (long seq : received) {
            if (!accepted.contains(seq)) {
                continue;
            }
            if (times.merge(seq, 1, Integer::sum) == 1 && seq < highest) {
                outOfOrder++;
            }
            highest = Math.max(highest, seq);
        }
        long duplicated = times.values().stream().filter(t -> t > 1).mapToLong(t -> t - 1).sum();
        return new Counts(accepted.size() - times.size(), duplicated, outOfOrder);
    }

    /** A Markdown table, to quote as it is. */
    static String render(List<Row> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| phase | s | accepted | alive nginx | alive direct | missed nginx | missed direct | duplicated | out of order | note |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            out.append("| ").append(r.phase().name())
                    .append(" | ").append(String.format("%.1f", r.phase().millis() / 1000.0))
                    .append(" | ").append(r.accepted());
            for (String via : VIAS) {
                int[] a = r.alive().getOrDefault(via, new int[2]);
                out.append(" | ").append(a[0]).append('/').append(a[1]);
            }
            for (String via : VIAS) {
                out.append(" | ").append(r.missed().getOrDefault(via, 0L));
            }
            out.append(" | ").append(r.total(r.duplicated()))
                    .append(" | ").append(r.total(r.outOfOrder()))
                    .append(" | ").append(r.phase().note())
                    .append(" |\n");
        }
        return out.toString();
    }
}
