package dev.tuneforge.api.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A row of {@code models}: a base model in diffusers layout under {@code ObjectKeys.modelPrefix}. */
@Entity
@Table(name = "models")
@IdClass(AssetKey.class)
public class ModelEntity extends AssetEntity {
}
