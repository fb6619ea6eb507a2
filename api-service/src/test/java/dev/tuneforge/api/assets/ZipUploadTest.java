package dev.tuneforge.api.assets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.api.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking an uploaded zip: traversal refused by name, limits counted while inflating, archiver noise skipped. */
class ZipUploadTest {
    private static final UploadLimits ROOMY = new UploadLimits(100, 1 << 20, 1 << 22);

    @TempDir
    Path dir;

    private UploadedFile zip(Map<String, byte[]> entries) throws Exception {
        Path file = dir.resolve("upload.zip");
        Files.write(file, Fixtures.zip(entries));
        return new UploadedFile("upload.zip", file, Files.size(file));
    }

    private static Map<String, byte[]> entries(String... names) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (String name : names) {
            entries.put(name, Fixtures.text(name));
        }
        return entries;
    }

    @Test
    void entriesAreUnpackedInsideTheTargetWithTheirPaths() throws Exception {
        Path target = Files.createDirectory(dir.resolve("out"));
        List<UploadedFile> files = ZipUpload.extract(zip(entries("a.txt", "photos/b.txt", "__MACOSX/._a.txt",
                "photos/.DS_Store")), target, ROOMY);

        assertThat(files).extracting(UploadedFile::name).containsExactly("a.txt", "photos/b.txt");
        assertThat(files).allSatisfy(f -> assertThat(f.path()).startsWith(target));
        assertThat(Files.readString(files.get(1).path())).isEqualTo("photos/b.txt");
    }

    @Test
    void everyEntryLeavingTheArchiveIsNamedAndNothingIsUnpacked() throws Exception {
        Path target = Files.createDirectory(dir.resolve("out"));
        assertThatThrownBy(() -> ZipUpload.extract(zip(entries("ok.txt", "../up.txt", "/abs.txt", "a/../../b.txt")),
                target, ROOMY))
                .isInstanceOfSatisfying(InvalidUploadException.class, e -> assertThat(e.files())
                        .extracting(RejectedFile::file).containsExactly("../up.txt", "/abs.txt", "a/../../b.txt"));
        try (var left = Files.list(target)) {
            assertThat(left).isEmpty();
        }
        assertThat(dir.resolve("up.txt")).doesNotExist();
    }

    @Test
    void limitsAreCountedOnTheInflatedBytes() throws Exception {
        Path target = Files.createDirectory(dir.resolve("out"));
        Map<String, byte[]> big = Map.of("zeros.bin", new byte[10_000]);
        assertThatThrownBy(() -> ZipUpload.extract(zip(big), target, new UploadLimits(10, 1000, 100_000)))
                .isInstanceOf(UploadTooLargeException.class).hasMessageContaining("zeros.bin");
        assertThatThrownBy(() -> ZipUpload.extract(zip(entries("a", "b", "c")), target, new UploadLimits(2, 1000, 1000)))
                .isInstanceOf(UploadTooLargeException.class).hasMessageContaining("3 files");
    }

    @Test
    void aFileThatIsNoZipIsNamed() throws Exception {
        Path file = dir.resolve("fake.zip");
        Files.writeString(file, "not a zip");
        assertThatThrownBy(() -> ZipUpload.extract(new UploadedFile("fake.zip", file, 9), dir, ROOMY))
                .isInstanceOfSatisfying(InvalidUploadException.class,
                        e -> assertThat(e.files()).extracting(RejectedFile::file).containsExactly("fake.zip"));
    }
}
