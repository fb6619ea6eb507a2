package dev.tuneforge.api.datasets;

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
import dev.tuneforge.api.persistence.DatasetEntity;
import dev.tuneforge.api.persistence.DatasetRepository;
import dev.tuneforge.api.persistence.JobRepository;
import dev.tuneforge.api.storage.ObjectStore;
import dev.tuneforge.common.events.EventCodec;
import dev.tuneforge.common.jobs.Violation;
import dev.tuneforge.common.storage.ObjectKeys;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Datasets: image/caption pairs uploaded as files or one zip, checked as a whole before anything is
 * stored, then stored flat under {@code ObjectKeys.datasetImage/datasetCaption}. By default one bad
 * file refuses the upload (every bad file is named); with {@code skipInvalid} the good pairs are
 * stored and the rest listed.
 */
@Singleton
public class DatasetCatalog extends AssetCatalog<DatasetEntity> {
    private static final String ZIP = ".zip";

    private final ApiConfig.Datasets limits;

    DatasetCatalog(DatasetRepository datasets, JobRepository jobs, ObjectStore store, EventCodec codec,
            ApiConfig config) {
        super(AssetKind.DATASET, datasets, jobs, store, codec.mapper());
        this.limits = config.datasets();
    }

    public DatasetUpload create(Caller caller, String requestedId, String requestedName, List<UploadedFile> uploads,
            boolean skipInvalid) {
        String id = AssetIds.resolve(kind, requestedId);
        requireNew(caller, id);
        Path scratch = scratch("dataset");
        try {
            DatasetCheck.Result checked = DatasetCheck.check(files(uploads, scratch), limits.maxFileSize().asLongValue());
            if (!checked.rejected().isEmpty() && !skipInvalid) {
                throw new InvalidUploadException(checked.rejected().size() + " file(s) cannot be used; nothing was"
                        + " stored (add ?skipInvalid=true to store the valid pairs)", checked.rejected());
            }
            if (checked.pairs().isEmpty()) {
                throw new InvalidUploadException("no image with its caption to store", checked.rejected());
            }
            return store(caller, id, AssetIds.name(requestedName, id), checked);
        } finally {
            deleteTree(scratch);
        }
    }

    private DatasetUpload store(Caller caller, String id, String name, DatasetCheck.Result checked) {
        List<StoredFile> stored = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (DatasetCheck.Pair pair : checked.pairs()) {
            String imageKey = ObjectKeys.datasetImage(caller.tenantId(), id, pair.stem(), pair.extension());
            String captionKey = ObjectKeys.datasetCaption(caller.tenantId(), id, pair.stem());
            stored.add(new StoredFile(pair.image().name(), imageKey, pair.image().size()));
            stored.add(new StoredFile(pair.caption().name(), captionKey, pair.caption().size()));
            accepted.add(pair.image().name());
            accepted.add(pair.caption().name());
        }
        DatasetEntity row = new DatasetEntity();
        row.tenantId = caller.tenantId();
        row.id = id;
        row.name = name;
        row.imageCount = checked.pairs().size();
        DatasetEntity saved = register(row, writes -> {
            for (DatasetCheck.Pair pair : checked.pairs()) {
                writes.upload(ObjectKeys.datasetImage(caller.tenantId(), id, pair.stem(), pair.extension()),
                        pair.image().path(), "image/" + mediaSubtype(pair.extension()));
                writes.upload(ObjectKeys.datasetCaption(caller.tenantId(), id, pair.stem()), pair.caption().path(),
                        "text/plain; charset=utf-8");
            }
        }, stored);
        return new DatasetUpload(saved, accepted, checked.rejected());
    }

    /** The upload's files: the files themselves, or the entries of its one zip. */
    private List<UploadedFile> files(List<UploadedFile> uploads, Path scratch) {
        UploadLimits bounds = new UploadLimits(limits.maxFiles(), limits.maxFileSize().asLongValue(),
                limits.maxTotalSize().asLongValue());
        if (uploads.isEmpty()) {
            throw new InvalidAssetRequestException(List.of(new Violation("files",
                    "no files: send images with their .txt captions, or one .zip holding them")));
        }
        List<UploadedFile> zips = uploads.stream().filter(f -> f.name().toLowerCase(Locale.ROOT).endsWith(ZIP)).toList();
        if (zips.isEmpty()) {
            bounds.checkCount(uploads.size());
            bounds.checkTotal(uploads.stream().mapToLong(UploadedFile::size).sum());
            return uploads;
        }
        if (uploads.size() > 1) {
            throw new InvalidUploadException("a .zip must be the only file of an upload", zips.stream()
                    .map(z -> new RejectedFile(z.name(), "a .zip must be the only file of an upload")).toList());
        }
        return ZipUpload.extract(zips.get(0), scratch, bounds);
    }

    private static String mediaSubtype(String extension) {
        return "jpg".equals(extension) ? "jpeg" : extension;
    }
}
