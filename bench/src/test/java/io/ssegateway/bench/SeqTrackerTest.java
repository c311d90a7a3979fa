package io.ssegateway.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeqTrackerTest {
    @Test
    void whatTheFirstEventAfterAHistoryGapSkipsIsCountedGappedNotMissing() {
        SeqTracker t = new SeqTracker(2, 0);
        for (long s = 0; s < 10; s++) {
            t.record(0, s);
        }
        t.record(1, 0);
        t.record(0, 12);
        // Cut here; the resume finds history starting at 0:100 and 1:80.
        t.gap();
        for (long s = 100; s < 110; s++) {
            t.record(0, s);
        }
        t.record(1, 80);
        // Events 10, 11 and 13..99 of publisher 0 are behind the gap; 12 had arrived.
        assertEquals(89, t.gapped(0));
        assertEquals(79, t.gapped(1));
        assertEquals(21, t.unique(0));
        assertEquals(110, t.contiguous(0));
        // Later losses are missing again, not gapped.
        t.record(0, 200);
        assertEquals(89, t.gapped(0));
    }
}
