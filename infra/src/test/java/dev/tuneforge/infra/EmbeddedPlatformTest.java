package dev.tuneforge.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPlatformTest {
    @TempDir
    Path root;

    @Test
    void writesPlatformEnvForWhatRunsAndRemovesItOnClose() {
        try (EmbeddedPlatform platform = new EmbeddedPlatform(root, 0, 0, 0)) {
            platform.start(EnumSet.of(Component.POSTGRES, Component.S3));
            PlatformEnv env = PlatformEnv.read(root.resolve("platform.env"));

            assertThat(env.get(PlatformEnv.Setting.QUARKUS_DATASOURCE_JDBC_URL)).isEqualTo(platform.postgres().jdbcUrl());
            assertThat(env.get(PlatformEnv.Setting.TUNEFORGE_S3_BUCKET)).isEqualTo("tuneforge");
            assertThat(env.config(Set.of(Component.POSTGRES, Component.S3))).containsOnlyKeys(
                    "quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password",
                    "tuneforge.s3.endpoint", "tuneforge.s3.access-key", "tuneforge.s3.secret-key", "tuneforge.s3.bucket");

            platform.stop(Component.S3);
            assertThat(PlatformEnv.read(root.resolve("platform.env")).config(Set.of(Component.POSTGRES))).hasSize(3);
            assertThat(platform.s3().isRunning()).isFalse();
        }
        assertThat(Files.exists(root.resolve("platform.env"))).isFalse();
        assertThat(root.resolve("postgres").resolve("PG_VERSION")).exists();
    }

    @Test
    void badCommandLinesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> PlatformOptions.parse("--kafka-port", "99999"))
                .hasMessage("--kafka-port must be a port number 0..65535, got '99999'");
        assertThatThrownBy(() -> PlatformOptions.parse("--components", "kafka,redis"))
                .hasMessageContaining("unknown platform component 'redis'");
        assertThat(PlatformOptions.parse("--root", "/x", "--components", "none", "--controlled"))
                .isEqualTo(new PlatformOptions(Path.of("/x"), 19092, 15432, 19000, EnumSet.noneOf(Component.class), true));
    }
}
