package dev.tuneforge.api.persistence;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;

/** {@code datasets}; a singleton because its generic base has no no-args constructor to proxy. */
@Singleton
public class DatasetRepository extends AssetRepository<DatasetEntity> {
    DatasetRepository(EntityManager em) {
        super(em, DatasetEntity.class);
    }
}
