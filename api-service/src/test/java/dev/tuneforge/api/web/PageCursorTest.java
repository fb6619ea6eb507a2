package dev.tuneforge.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.api.persistence.JobPosition;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PageCursorTest {
    @Test
    void roundTripsThePositionExactly() {
        JobPosition position = new JobPosition(Instant.parse("2026-03-01T12:00:00.123456Z"), UUID.randomUUID());
        String cursor = PageCursor.encode(position);
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(PageCursor.decode(cursor)).isEqualTo(position);
    }

    @Test
    void anAuditCursorRoundTripsItsSeqAndIsNoPositionCursor() {
        String cursor = PageCursor.encodeSeq(4_000_000_123L);
        assertThat(PageCursor.decodeSeq(cursor)).isEqualTo(4_000_000_123L);
        assertThatThrownBy(() -> PageCursor.decode(cursor)).isInstanceOf(InvalidRequestException.class);
        String position = PageCursor.encode(new JobPosition(Instant.now(), UUID.randomUUID()));
        assertThatThrownBy(() -> PageCursor.decodeSeq(position)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void rejectsWhatItDidNotIssueNamingTheParameter() {
        for (String bad : new String[] {"not-a-cursor!", "djE6MTox", "eDp5OnpAOnc"}) {
            assertThatThrownBy(() -> PageCursor.decode(bad))
                    .isInstanceOfSatisfying(InvalidRequestException.class,
                            e -> assertThat(e.violations()).singleElement()
                                    .satisfies(v -> assertThat(v.field()).isEqualTo("cursor")));
        }
    }
}
