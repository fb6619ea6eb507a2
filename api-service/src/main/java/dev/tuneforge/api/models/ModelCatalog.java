package dev.tuneforge.api.models;

import dev.tuneforge.api.assets.AssetCatalog;
import dev.tuneforge.api.assets.AssetIds;
import dev.tuneforge.api.assets.AssetKind;
import dev.tuneforge.api.assets.InvalidAssetRequestException;
import dev.tuneforge.api.assets.InvalidUploadException;
import dev.tuneforge.api.assets.RejectedFile;
import dev.tuneforge.api.assets.StoredFile;
import dev.tuneforge.api.assets.UploadLimits;
import dev.tuneforge.api.assets.UploadedFile;
import dev.tuneforge.api.assets.ZipUpload;
import dev.tuneforge.api.auth.Caller;
import dev.tuneforge.api.config.ApiConfig;
import dev.tuneforge.api.persistence.JobRepository;
import dev.tuneforge.api.persistence.ModelEntity;
import dev.tuneforge.api.persistence.ModelRepository;
import dev.tuneforge.api.storage.ObjectStore;
import dev.tuneforge.api.storage.ObjectWrites;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.Violation;
import dev.tuneforge.common.storage.ObjectKeys;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Base models: a diffusers-layout folder, uploaded as a zip or named as an existing S3 prefix,
 * checked by {@link DiffusersLayout} and then stored under {@code ObjectKeys.modelPrefix} (an S3
 * source is copied there server-side), so a worker needs only the tenant and the model id.
 */
@Singleton
public class ModelCatalog extends AssetCatalog<ModelEntity> {
    private static final Pattern S3_URI = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.*)");
    private static final String SOURCE = "source";
    private static final String TENANTS = "tenants/";

    private final ApiConfig.Models limits;
    private final DiffusersLayout layout;

    ModelCatalog(ModelRepository models, JobRepository jobs, ObjectStore store, EventCodec codec, ApiConfig config) {
        super(AssetKind.MODEL, models, jobs, store, codec.mapper());
        this.limits = config.models();
        this.layout = new DiffusersLayout(codec.mapper(), limits.maxSafetensorsHeader().asLongValue());
    }

    public ModelEntity createFromZip(Caller caller, String requestedId, String requestedName, UploadedFile zip) {
        String id = AssetIds.resolve(kind, requestedId);
        requireNew(caller, id);
        Path scratch = scratch("model");
        try {
            List<UploadedFile> entries = ZipUpload.extract(zip, scratch, new UploadLimits(limits.maxFiles(),
                    limits.maxFileSize().asLongValue(), limits.maxTotalSize().asLongValue()));
            String root = LocalModelFolder.rootOf(entries);
            LocalModelFolder folder = new LocalModelFolder(entries, root == null ? "" : root);
            return register(caller, id, AssetIds.name(requestedName, id), folder,
                    (writes, path) -> writes.upload(target(caller, id, path), folder.file(path).path(),
                            "application/octet-stream"));
        } finally {
            deleteTree(scratch);
        }
    }

    public ModelEntity createFromS3(Caller caller, String requestedId, String requestedName, String source) {
        String id = AssetIds.resolve(kind, requestedId);
        S3ModelFolder folder = s3Folder(caller, source);
        requireNew(caller, id);
        return register(caller, id, AssetIds.name(requestedName, id), folder,
                (writes, path) -> writes.copy(folder.bucket(), folder.key(path), target(caller, id, path)));
    }

    private ModelEntity register(Caller caller, String id, String name, ModelFolder folder,
            BiConsumer<ObjectWrites, String> storeOne) {
        List<RejectedFile> problems = new ArrayList<>(layout.problems(folder));
        List<StoredFile> files = new ArrayList<>();
        for (Map.Entry<String, Long> file : folder.files().entrySet()) {
            try {
                files.add(new StoredFile(file.getKey(), target(caller, id, file.getKey()), file.getValue()));
            } catch (IllegalArgumentException e) {
                problems.add(new RejectedFile(file.getKey(), "path not usable as an object key: " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidUploadException("not a diffusers-layout Stable Diffusion model (" + problems.size()
                    + " problem(s)); nothing was stored", problems);
        }
        ModelEntity row = new ModelEntity();
        row.tenantId = caller.tenantId();
        row.id = id;
        row.name = name;
        return register(row, writes -> files.forEach(f -> storeOne.accept(writes, f.path())), files);
    }

    private static String target(Caller caller, String id, String path) {
        return ObjectKeys.child(ObjectKeys.modelPrefix(caller.tenantId(), id), path);
    }

    /** {@code s3://bucket/prefix/}: any readable bucket, but never another tenant's objects in ours. */
    private S3ModelFolder s3Folder(Caller caller, String source) {
        Matcher uri = source == null ? null : S3_URI.matcher(source.strip());
        if (uri == null || !uri.matches() || uri.group(2).isEmpty() || uri.group(2).contains("..")) {
            throw invalidSource("must be s3://<bucket>/<prefix>/ naming a folder in diffusers layout, was '"
                    + source + "'");
        }
        String bucket = uri.group(1);
        String prefix = uri.group(2).endsWith("/") ? uri.group(2) : uri.group(2) + "/";
        if (bucket.equals(store.bucket()) && prefix.startsWith(TENANTS)
                && !prefix.startsWith(TENANTS + caller.tenantId() + "/")) {
            throw invalidSource("names another tenant's objects");
        }
        S3ModelFolder folder = new S3ModelFolder(store, bucket, prefix);
        if (folder.files().isEmpty()) {
            throw invalidSource("no objects under " + source);
        }
        return folder;
    }

    private static InvalidAssetRequestException invalidSource(String message) {
        return new InvalidAssetRequestException(List.of(new Violation(SOURCE, message)));
    }
}
