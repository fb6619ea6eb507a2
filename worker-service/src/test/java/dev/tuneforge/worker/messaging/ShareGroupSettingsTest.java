package dev.tuneforge.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.junit.jupiter.api.Test;

class ShareGroupSettingsTest {
    private final ShareGroupSettings settings = new ShareGroupSettings("g", Duration.ofSeconds(3), 4);

    @Test
    void groupConfigsOfTheWorkerShareGroup() {
        assertThat(settings.configs()).containsExactly(
                java.util.Map.entry("share.auto.offset.reset", "earliest"),
                java.util.Map.entry("share.record.lock.duration.ms", "3000"),
                java.util.Map.entry("share.delivery.count.limit", "4"),
                java.util.Map.entry("share.renew.acknowledge.enable", "true"));
    }

    @Test
    void pendingNamesEveryConfigTheBrokerDoesNotShowYet() {
        Config described = new Config(List.of(
                new ConfigEntry("share.auto.offset.reset", "latest"),
                new ConfigEntry("share.record.lock.duration.ms", "3000"),
                new ConfigEntry("share.delivery.count.limit", "4")));
        assertThat(settings.pending(described)).containsOnlyKeys("share.auto.offset.reset", "share.renew.acknowledge.enable")
                .containsEntry("share.auto.offset.reset", "latest (want earliest)")
                .containsEntry("share.renew.acknowledge.enable", "null (want true)");
    }

    @Test
    void nothingPendingOnceAllShow() {
        Config described = new Config(settings.configs().entrySet().stream()
                .map(e -> new ConfigEntry(e.getKey(), e.getValue())).toList());
        assertThat(settings.pending(described)).isEmpty();
    }
}
