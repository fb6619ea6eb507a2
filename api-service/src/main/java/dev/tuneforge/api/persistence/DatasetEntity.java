package dev.tuneforge.api.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A row of {@code datasets}: image/caption pairs under {@code ObjectKeys.datasetImage/datasetCaption}. */
@Entity
@Table(name = "datasets")
@IdClass(AssetKey.class)
public class DatasetEntity extends AssetEntity {
    @Column(name = "image_count", nullable = false)
    public int imageCount;
}
