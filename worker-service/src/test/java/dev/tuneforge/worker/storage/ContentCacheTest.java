package dev.tuneforge.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tuneforge.worker.runner.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content-keyed cache against the embedded S3 server. */
class ContentCacheTest {

    private final ObjectStore store = TestS3.store();
    private final String root = "tests/" + UUID.randomUUID() + "/";

    private String folder(String name, String... files) throws Exception {
        String prefix = root + name + "/";
        for (int i = 0; i < files.length; i++) {
            TestS3.put(prefix + "f" + i + ".txt", files[i]);
        }
        return prefix;
    }

    @Test
    void aSecondFetchOfTheSameContentIsAHitAndChangedContentIsFetchedAgain(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(store, dir, 1 << 20);
        String prefix = folder("model", "one", "two");
        String first;
        try (ContentCache.Lease lease = cache.fetch(prefix, "model 'm'")) {
            first = lease.contentKey();
            assertThat(lease.dir().resolve("f0.txt")).hasContent("one");
        }
        Path marker = dir.resolve("entries").resolve(first).resolve("f1.txt");
        Files.writeString(marker, "two (local mark: a refetch would overwrite it)");
        try (ContentCache.Lease lease = cache.fetch(prefix, "model 'm'")) {
            assertThat(lease.contentKey()).isEqualTo(first);
            assertThat(lease.dir().resolve("f1.txt")).hasContent("two (local mark: a refetch would overwrite it)");
        }
        TestS3.put(prefix + "f1.txt", "two, re-uploaded");
        try (ContentCache.Lease lease = cache.fetch(prefix, "model 'm'")) {
            assertThat(lease.contentKey()).isNotEqualTo(first);
            assertThat(lease.dir().resolve("f1.txt")).hasContent("two, re-uploaded");
        }
    }

    @Test
    void twoPrefixesWithTheSameFilesShareOneEntryAndAnotherCacheFindsItOnDisk(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(store, dir, 1 << 20);
        String a = folder("a", "same");
        String b = folder("b", "same");
        try (ContentCache.Lease first = cache.fetch(a, "a"); ContentCache.Lease second = cache.fetch(b, "b")) {
            assertThat(second.dir()).isEqualTo(first.dir());
        }
        ContentCache restarted = new ContentCache(store, dir, 1 << 20);
        try (ContentCache.Lease lease = cache.fetch(a, "a")) {
            assertThat(restarted.contains(lease.contentKey())).isTrue();
        }
    }

    @Test
    void evictionDropsTheLeastRecentlyUsedAndNeverAnEntryInUse(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(store, dir, 35);
        String held = folder("held", "0123456789");
        String a = folder("a", "abcdefghij");
        String b = folder("b", "klmnopqrst");
        String fresh = folder("fresh", "ABCDEFGHIJ");
        try (ContentCache.Lease heldLease = cache.fetch(held, "held")) {
            String aKey = use(cache, a);
            String bKey = use(cache, b);
            use(cache, a);
            assertThat(cache.size()).isEqualTo(30);
            try (ContentCache.Lease freshLease = cache.fetch(fresh, "fresh")) {
                assertThat(cache.contains(heldLease.contentKey())).as("least recently used, but in use").isTrue();
                assertThat(cache.contains(bKey)).as("least recently used without a lease").isFalse();
                assertThat(cache.contains(aKey)).as("used again after b").isTrue();
                assertThat(cache.contains(freshLease.contentKey())).isTrue();
                assertThat(heldLease.dir().resolve("f0.txt")).hasContent("0123456789");
            }
        }
        assertThat(cache.size()).isEqualTo(30);
    }

    /** Fetches and releases {@code prefix}, a little later than the previous use. */
    private static String use(ContentCache cache, String prefix) throws Exception {
        Thread.sleep(20);
        try (ContentCache.Lease lease = cache.fetch(prefix, prefix)) {
            return lease.contentKey();
        }
    }

    @Test
    void twoJobsWantingTheSameEntryAtOnceGetOneDownload(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(store, dir, 1 << 20);
        String prefix = folder("shared", "x".repeat(1000), "y".repeat(1000), "z");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<ContentCache.Lease>> jobs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                jobs.add(() -> cache.fetch(prefix, "shared"));
            }
            List<ContentCache.Lease> leases = new ArrayList<>();
            for (Future<ContentCache.Lease> f : pool.invokeAll(jobs)) {
                leases.add(f.get());
            }
            assertThat(leases).extracting(ContentCache.Lease::dir).containsOnly(leases.get(0).dir());
            assertThat(leases).filteredOn(ContentCache.Lease::downloaded).as("downloads").hasSize(1);
            leases.forEach(ContentCache.Lease::close);
        } finally {
            pool.shutdownNow();
        }
        assertThat(Files.list(dir.resolve("tmp")).count()).isZero();
    }

    @Test
    void anEmptyPrefixIsBadInputNamingTheThing(@TempDir Path dir) throws Exception {
        ContentCache cache = new ContentCache(store, dir, 1 << 20);
        assertThatThrownBy(() -> cache.fetch(root + "nothing/", "dataset 'faces'"))
                .isInstanceOf(BadInputException.class).hasMessageContaining("dataset 'faces' does not exist")
                .hasMessageContaining(root + "nothing/");
    }

    @Test
    void sizesParseAsPeopleWriteThem() {
        assertThat(ByteSize.parse("s", "20G")).isEqualTo(20L << 30);
        assertThat(ByteSize.parse("s", "512m")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("s", "1000")).isEqualTo(1000);
        assertThatThrownBy(() -> ByteSize.parse("tuneforge.worker.cache.max-size", "lots"))
                .hasMessageContaining("tuneforge.worker.cache.max-size");
    }
}
