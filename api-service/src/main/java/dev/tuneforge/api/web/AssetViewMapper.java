package dev.tuneforge.api.web;

import dev.tuneforge.api.assets.StoredFile;
import dev.tuneforge.api.datasets.DatasetCatalog;
import dev.tuneforge.api.datasets.DatasetUpload;
import dev.tuneforge.api.models.ModelCatalog;
import dev.tuneforge.api.persistence.DatasetEntity;
import dev.tuneforge.api.persistence.ModelEntity;
import dev.tuneforge.api.storage.ObjectStore;
import dev.tuneforge.common.storage.ObjectKeys;
import jakarta.enterprise.context.ApplicationScoped;

/** Maps dataset and model rows to the API's views. */
@ApplicationScoped
public class AssetViewMapper {
    private final DatasetCatalog datasets;
    private final ModelCatalog models;
    private final ObjectStore store;

    AssetViewMapper(DatasetCatalog datasets, ModelCatalog models, ObjectStore store) {
        this.datasets = datasets;
        this.models = models;
        this.store = store;
    }

    public DatasetView view(DatasetEntity dataset) {
        return new DatasetView(dataset.id, dataset.name, dataset.imageCount, dataset.totalBytes, dataset.createdAt,
                datasets.files(dataset).stream().map(StoredFile::path).toList(), null);
    }

    public DatasetView view(DatasetUpload upload) {
        DatasetEntity dataset = upload.dataset();
        return new DatasetView(dataset.id, dataset.name, dataset.imageCount, dataset.totalBytes, dataset.createdAt,
                upload.accepted(), upload.skipped());
    }

    public ModelView view(ModelEntity model) {
        return new ModelView(model.id, model.name, model.totalBytes, model.createdAt,
                store.location(ObjectKeys.modelPrefix(model.tenantId, model.id)),
                models.files(model).stream().map(StoredFile::path).toList());
    }
}
