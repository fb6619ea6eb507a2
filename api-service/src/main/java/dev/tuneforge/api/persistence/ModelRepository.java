package dev.tuneforge.api.persistence;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

/** {@code models}; a singleton because its generic base has no no-args constructor to proxy. */
@Singleton
public class ModelRepository extends AssetRepository<ModelEntity> {
    ModelRepository(EntityManager em) {
        super(em, ModelEntity.class);
    }
}
