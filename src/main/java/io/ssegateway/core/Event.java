package io.ssegateway.core;

import java.util.List;

/**
 * An event ready for delivery: a validated {@link EventDraft} plus the id the broker gave it.
 *
 * <p>Raw events (published straight into Redis by other tools) have no id, since they are not
 * in history; they may carry a {@code retry} hint. Everything else is as validated by the draft.
 *
 * <p>The SSE frame is encoded once, on first use, and the same bytes are written to every
 * connection that receives the event.
 */
public final class Event {
    private final EventId id;
    private final EventDraft draft;
    private final Long retry;
    private volatile byte[] frame;
    private volatile Object transportFrame;

    public Event(EventId id, EventDraft draft) {
        this(id, draft, null);
    }

    public Event(EventId id, EventDraft draft, Long retry) {
        if (draft == null) {
            throw new IllegalArgumentException("draft is required");
        }
        this.id = id;
        this.draft = draft;
        this.retry = retry;
    }

    /** The same event under another id (a shard cursor); its frame is encoded anew. */
    public Event withId(EventId other) {
        return new Event(other, draft, retry);
    }

    /** Null for a raw event that bypassed history. */
    public EventId id() {
        return id;
    }

    public EventDraft draft() {
        return draft;
    }

    public List<Namespace> namespaces() {
        return draft.namespaces();
    }

    public String type() {
        return draft.type();
    }

    public String data() {
        return draft.data();
    }

    public boolean isPrivate() {
        return draft.privateEvent();
    }

    public String user() {
        return draft.user();
    }

    public Long retry() {
        return retry;
    }

    /** The complete SSE frame, encoded once and shared; callers must not modify it. */
    public byte[] frame() {
        byte[] f = frame;
        if (f == null) {
            f = SseEncoder.encode(id == null ? null : id.toString(), draft.type(), draft.data(), retry);
            frame = f;
        }
        return f;
    }

    /**
     * The frame as a transport keeps it (the server keeps one off-heap buffer per event that
     * every connection writes), or null before the first write. The core never reads it.
     */
    public Object transportFrame() {
        return transportFrame;
    }

    public void transportFrame(Object frame) {
        this.transportFrame = frame;
    }

    @Override
    public String toString() {
        return "Event{id=" + id + ", type=" + draft.type() + ", namespaces=" + draft.namespaces() + "}";
    }
}
