package io.ssegateway.redis;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * What an instance tells the others through Redis ({@link InstanceRegistry}): its report
 * {@code {"id":…,"streams":…}}, stored under its entry and announced on the counts channel, or
 * {@code {"id":…,"gone":true}} when it leaves. Absent fields are left out, so that both forms
 * stay exactly what instances of an older release write and read.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
record InstanceReport(@Nullable String id, @Nullable Integer streams, @Nullable Boolean gone) {

    static InstanceReport of(String id, int streams) {
        return new InstanceReport(id, streams, null);
    }

    static InstanceReport departure(String id) {
        return new InstanceReport(id, null, true);
    }

    boolean isDeparture() {
        return gone != null && gone;
    }
}
