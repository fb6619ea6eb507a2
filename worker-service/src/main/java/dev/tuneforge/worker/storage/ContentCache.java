package dev.tuneforge.worker.storage;

import dev.tuneforge.worker.runner.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Object-store folders (models, datasets) copied to local disk, keyed by their CONTENT: the hash of
 * every listed key (relative to the prefix), ETag and size. A model re-uploaded under the same id
 * lists other ETags and is fetched again; two prefixes with the same files share one entry, which
 * is right because the entry is the same bytes.
 *
 * <p>An entry is downloaded into a temporary folder and renamed into place, so a crash never leaves
 * a half entry that looks complete. Two jobs that want the same entry at once download it once (a
 * lock per content key). Entries are evicted least-recently-used first whenever the cache is past its size bound (after a
 * download and when a lease ends), but never while a {@link Lease} holds them. Last use survives restarts as the
 * modification time of the entry's marker file.
 */
public final class ContentCache {

    private static final Logger LOG = Logger.getLogger(ContentCache.class);
    private static final String ENTRIES = "entries";
    private static final String TEMPORARY = "tmp";
    private static final String MARKER = ".tuneforge-entry";

    private final ObjectStore store;
    private final Path root;
    private final long maxBytes;
    private final Map<String, ReentrantLock> downloads = new ConcurrentHashMap<>();
    /** Guarded by {@code this}: leases per entry, and the size of every entry on disk. */
    private final Map<String, Integer> leases = new HashMap<>();
    private final Map<String, Long> sizes = new HashMap<>();

    public ContentCache(ObjectStore store, Path root, long maxBytes) throws IOException {
        this.store = store;
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        Files.createDirectories(this.root.resolve(ENTRIES));
        CacheFiles.deleteTree(this.root.resolve(TEMPORARY));
        Files.createDirectories(this.root.resolve(TEMPORARY));
        scan();
    }

    /** Use of one cache entry: its folder stays on disk until {@link #close()}. */
    public final class Lease implements AutoCloseable {
        private final String key;
        private final Path dir;
        private final boolean downloaded;
        private boolean closed;

        private Lease(String key, Path dir, boolean downloaded) {
            this.key = key;
            this.dir = dir;
            this.downloaded = downloaded;
        }

        /** Whether this fetch downloaded the entry (a cache miss) rather than finding it. */
        public boolean downloaded() {
            return downloaded;
        }

        /** The folder with the prefix's files at their relative keys. */
        public Path dir() {
            return dir;
        }

        /** The content key (a SHA-256 of the listing). */
        public String contentKey() {
            return key;
        }

        @Override
        public void close() {
            synchronized (ContentCache.this) {
                if (!closed) {
                    closed = true;
                    leases.merge(key, -1, (a, b) -> a + b == 0 ? null : a + b);
                    touch(dir);
                    evict();
                }
            }
        }
    }

    /**
     * The files under {@code prefix}, fetched unless an entry with the same content is cached.
     * {@code what} names the thing for the error when the prefix is empty, e.g. "model 'sd15'".
     */
    public Lease fetch(String prefix, String what) throws IOException {
        List<StoredObject> listing = store.list(prefix);
        if (listing.isEmpty()) {
            throw new BadInputException(what + " does not exist: no objects under " + store.location(prefix));
        }
        String key = contentKey(prefix, listing);
        ReentrantLock lock = downloads.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            Lease lease = leaseIfCached(key);
            if (lease != null) {
                return lease;
            }
            Path dir = download(key, prefix, listing);
            synchronized (this) {
                sizes.put(key, payloadSize(dir));
                leases.merge(key, 1, Integer::sum);
                evict();
            }
            LOG.infof("cached %s (%s) as %s", what, prefix, key);
            return new Lease(key, dir, true);
        } finally {
            lock.unlock();
        }
    }

    /** Total bytes of the cached entries. */
    public synchronized long size() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether an entry with this content key is on disk. */
    public synchronized boolean contains(String contentKey) {
        return sizes.containsKey(contentKey);
    }

    private synchronized Lease leaseIfCached(String key) {
        if (!sizes.containsKey(key)) {
            return null;
        }
        Path dir = entry(key);
        leases.merge(key, 1, Integer::sum);
        touch(dir);
        return new Lease(key, dir, false);
    }

    private Path download(String key, String prefix, List<StoredObject> listing) throws IOException {
        Path temporary = root.resolve(TEMPORARY).resolve(key + "-" + UUID.randomUUID());
        try {
            store.download(prefix, listing, temporary);
            Files.writeString(temporary.resolve(MARKER), prefix + "\n");
            Path target = entry(key);
            CacheFiles.deleteTree(target);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                throw new IOException("cannot move the downloaded " + prefix + " into the cache at " + target, e);
            }
            return target;
        } finally {
            CacheFiles.deleteTree(temporary);
        }
    }

    /** Drops least-recently-used entries without leases until the cache fits its bound. Caller holds {@code this}. */
    private void evict() {
        long total = size();
        if (total <= maxBytes) {
            return;
        }
        List<String> candidates = new ArrayList<>(sizes.keySet());
        candidates.removeIf(leases::containsKey);
        candidates.sort(Comparator.comparing(k -> lastUse(entry(k))));
        for (String key : candidates) {
            if (total <= maxBytes) {
                break;
            }
            try {
                CacheFiles.deleteTree(entry(key));
                total -= sizes.remove(key);
                LOG.infof("evicted cache entry %s", key);
            } catch (IOException e) {
                LOG.warnf("cannot evict cache entry %s: %s", key, e.toString());
            }
        }
        if (total > maxBytes) {
            LOG.warnf("cache at %s holds %d bytes, above its bound of %d: the rest is in use", root, total, maxBytes);
        }
    }

    /** Entries left by an earlier process (complete ones only: each was renamed into place with its marker). */
    private void scan() throws IOException {
        try (Stream<Path> dirs = Files.list(root.resolve(ENTRIES))) {
            for (Path dir : dirs.toList()) {
                if (Files.isRegularFile(dir.resolve(MARKER))) {
                    sizes.put(dir.getFileName().toString(), payloadSize(dir));
                } else {
                    CacheFiles.deleteTree(dir);
                }
            }
        }
    }

    private static long payloadSize(Path dir) throws IOException {
        return CacheFiles.size(dir) - Files.size(dir.resolve(MARKER));
    }

    private Path entry(String key) {
        return root.resolve(ENTRIES).resolve(key);
    }

    private static FileTime lastUse(Path dir) {
        try {
            return Files.getLastModifiedTime(dir.resolve(MARKER));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void touch(Path dir) {
        try {
            Files.setLastModifiedTime(dir.resolve(MARKER), FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot mark the use of cache entry " + dir, e);
        }
    }

    /** SHA-256 over the listing: relative key, ETag and size of every object, in key order. */
    static String contentKey(String prefix, List<StoredObject> listing) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (StoredObject object : listing) {
                String line = object.key().substring(prefix.length()) + "\u0000" + object.etag() + "\u0000"
                        + object.size() + "\n";
                digest.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
