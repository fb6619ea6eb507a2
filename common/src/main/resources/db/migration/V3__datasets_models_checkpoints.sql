-- Issue 6: datasets and base models registered through the API, and the checkpoints a training
-- job reports. Objects live in S3 under common's ObjectKeys; these rows say what is there.

-- A dataset: image/caption pairs stored flat under ObjectKeys.datasetImage/datasetCaption.
-- files lists each stored object ({name, image, caption, bytes}) so a delete or a worker knows them
-- without listing the bucket. The row is written only after every object is stored.
CREATE TABLE datasets (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    image_count  INT NOT NULL,
    total_bytes  BIGINT NOT NULL,
    files        JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX datasets_list ON datasets (tenant_id, created_at DESC, id DESC);

-- A base model in diffusers layout under ObjectKeys.modelPrefix; files lists each relative path and size.
CREATE TABLE models (
    tenant_id    TEXT NOT NULL REFERENCES tenants (id),
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    total_bytes  BIGINT NOT NULL,
    files        JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX models_list ON models (tenant_id, created_at DESC, id DESC);

-- One row per complete checkpoint (its manifest is in S3), written by the scheduler from
-- job.checkpoint; job.samples and job.evaluated of the same step add their locations and scores.
CREATE TABLE checkpoints (
    job_id           UUID NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    step             INT NOT NULL,
    location         TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    metrics          JSONB,
    report_location  TEXT,
    samples          JSONB,
    PRIMARY KEY (job_id, step)
);
