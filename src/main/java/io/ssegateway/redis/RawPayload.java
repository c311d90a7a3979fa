package io.ssegateway.redis;

import io.ssegateway.core.Event;
import io.ssegateway.core.EventDraft;
import io.ssegateway.core.GatewayException;
import io.ssegateway.core.Namespace;
import io.ssegateway.core.SseFieldParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns what another tool {@code PUBLISH}ed on a namespace channel into events: plain text is
 * one {@code message} event with the whole payload as data; text whose first line starts with
 * {@code event:}, {@code data:}, {@code id:} or {@code retry:} is read as SSE fields
 * ({@link SseFieldParser}), one event per blank-line-separated block.
 *
 * <p>Raw events have no id and bypass history. An {@code id:} field is read and dropped: ids are
 * the gateway's, strictly increasing and resumable, and a foreign one would send clients back
 * with an id no history knows. An event whose type is not valid is dropped and logged.
 */
final class RawPayload {
    private static final Logger LOG = LoggerFactory.getLogger(RawPayload.class);

    private RawPayload() {
    }

    static List<Event> events(Namespace namespace, String payload) {
        if (!SseFieldParser.looksLikeFields(payload)) {
            return List.of(new Event(null, EventDraft.of(namespace, EventDraft.DEFAULT_TYPE, payload)));
        }
        List<Event> events = new ArrayList<>();
        for (SseFieldParser.Fields f : SseFieldParser.parse(payload)) {
            try {
                EventDraft draft = EventDraft.of(namespace, f.type(), f.data());
                events.add(new Event(null, draft, f.retry()));
            } catch (GatewayException e) {
                LOG.warn("event=raw-dropped namespace={} reason={} detail=\"{}\"", namespace, e.reason(), e.getMessage());
            }
        }
        return events;
    }
}
