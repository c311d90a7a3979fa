package io.ssegateway.egress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a stream chosen by a shed counts against the {@link OutboundBudget} while its cut is on
 * its way to the stream's loop, queued behind the fan-out already waiting there.
 */
class BudgetShareTest {
    private static final int BUDGET = 64 * 1024;

    @RegisterExtension
    static final EmbeddedGateway gateway = new EmbeddedGateway(Map.of("sse.outbound-budget", BUDGET));

    @Test
    void aStreamThatEndsBeforeItsCutArrivesGivesItsBytesBackOnce() {
        OutboundBudget budget = gateway.bean(OutboundBudget.class);
        Queue<Runnable> loop = new ArrayDeque<>();
        BudgetShare chosen = new BudgetShare(budget);
        BudgetShare other = new BudgetShare(budget);
        chosen.holds(40_000);
        other.holds(10_000);

        chosen.cut(40_000, loop::add, () -> { });
        assertEquals(10_000, budget.unreleased(), "the chosen backlog counts as freed once chosen");

        // The stream writes before the queued cut runs, and cuts itself: its bytes are gone.
        chosen.holds(0);
        assertEquals(10_000, budget.unreleased(),
                "the bytes freed by the stream itself are still counted as to be freed by its cut");

        loop.remove().run();
        assertEquals(10_000, budget.unreleased(), "the cut gave the same bytes back a second time");
        other.holds(0);
        assertEquals(0, budget.used());
        assertEquals(0, budget.unreleased());
    }
}
