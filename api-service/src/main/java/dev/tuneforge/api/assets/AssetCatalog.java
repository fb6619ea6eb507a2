package dev.tuneforge.api.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.persistence.AssetEntity;
import dev.tuneforge.api.persistence.AssetPosition;
import dev.tuneforge.api.persistence.AssetRepository;
import dev.tuneforge.api.persistence.JobRepository;
import dev.tuneforge.api.storage.ObjectStore;
import dev.tuneforge.api.storage.ObjectWrites;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.commons.io.FileUtils;
import org.hibernate.exception.ConstraintViolationException;

/**
 * What registering, reading and deleting datasets and models have in common. A registration
 * stores every object first and writes the row last; when anything fails on the way, the objects
 * already written are deleted, so there is never a row without its objects nor objects without a row.
 * A delete is refused while a job that has not ended names the asset; it removes the objects, then the row.
 */
public abstract class AssetCatalog<T extends AssetEntity> {
    /** PostgreSQL's SQLSTATE for a unique or primary-key violation. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final TypeReference<List<StoredFile>> FILES = new TypeReference<>() {
    };

    protected final AssetKind kind;
    protected final AssetRepository<T> assets;
    protected final ObjectStore store;
    private final JobRepository jobs;
    private final ObjectMapper mapper;

    protected AssetCatalog(AssetKind kind, AssetRepository<T> assets, JobRepository jobs, ObjectStore store,
            ObjectMapper mapper) {
        this.kind = kind;
        this.assets = assets;
        this.jobs = jobs;
        this.store = store;
        this.mapper = mapper;
    }

    public T get(Caller caller, String id) {
        return QuarkusTransaction.requiringNew().call(() -> assets.find(caller.tenantId(), id))
                .orElseThrow(() -> new AssetNotFoundException(kind, id));
    }

    /** Up to {@code limit} rows, newest first, after {@code after} (null: from the newest). */
    public List<T> list(Caller caller, AssetPosition after, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> assets.page(caller.tenantId(), after, limit));
    }

    public void delete(Caller caller, String id) {
        QuarkusTransaction.requiringNew().run(() -> {
            // The exclusive lock makes a concurrent submission naming this asset wait for the outcome.
            T asset = assets.lock(caller.tenantId(), id, true).orElseThrow(() -> new AssetNotFoundException(kind, id));
            List<UUID> users = jobs.activeJobsNaming(caller.tenantId(), kind.specField(), id);
            if (!users.isEmpty()) {
                throw new AssetInUseException(kind, id, users);
            }
            store.delete(files(asset).stream().map(StoredFile::key).toList());
            assets.delete(asset);
        });
    }

    public List<StoredFile> files(T asset) {
        try {
            return mapper.readValue(asset.files, FILES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(kind.noun() + " row holds invalid files JSON", e);
        }
    }

    /** Refuses early (before any upload work) an id the tenant already uses; the insert checks again. */
    protected void requireNew(Caller caller, String id) {
        if (QuarkusTransaction.requiringNew().call(() -> assets.find(caller.tenantId(), id)).isPresent()) {
            throw new AssetExistsException(kind, id);
        }
    }

    /**
     * Runs {@code storeObjects}, then inserts {@code row} with {@code files}; on any failure deletes
     * what was stored. A concurrent registration of the same id loses at the insert (409).
     */
    protected T register(T row, Consumer<ObjectWrites> storeObjects, List<StoredFile> files) {
        ObjectWrites writes = new ObjectWrites(store);
        try {
            storeObjects.accept(writes);
            row.files = json(files);
            row.totalBytes = files.stream().mapToLong(StoredFile::bytes).sum();
            row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            QuarkusTransaction.requiringNew().run(() -> assets.insert(row));
            return row;
        } catch (RuntimeException e) {
            writes.rollBack();
            if (isDuplicateKey(e)) {
                throw new AssetExistsException(kind, row.id);
            }
            throw e;
        }
    }

    private String json(List<StoredFile> files) {
        try {
            return mapper.writeValueAsString(files);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the file list", e);
        }
    }

    private static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException cve && UNIQUE_VIOLATION.equals(cve.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** A private scratch directory for one upload, deleted by {@link #deleteTree}. */
    protected static Path scratch(String what) {
        try {
            return Files.createTempDirectory("tuneforge-" + what + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory", e);
        }
    }

    /** Best effort: the OS temp directory is cleaned eventually, and the request already has its answer. */
    protected static void deleteTree(Path directory) {
        FileUtils.deleteQuietly(directory.toFile());
    }
}
