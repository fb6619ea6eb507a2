-- TuneForge core schema (DESIGN §5). One database shared by api-service and scheduler-service;
-- every migration lives here, in common, so both services apply the same history.

CREATE TABLE tenants (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

INSERT INTO tenants (id, name) VALUES ('local', 'Local tenant');

CREATE TABLE api_keys (
    id          UUID PRIMARY KEY,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    name        TEXT NOT NULL,
    -- SHA-256 of the secret, hex: a leaked database does not leak usable keys.
    key_hash    TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at  TIMESTAMPTZ
);

CREATE TABLE jobs (
    id                UUID PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants (id),
    kind              TEXT NOT NULL,
    status            TEXT NOT NULL,
    attempt           INT NOT NULL DEFAULT 1,
    max_attempts      INT NOT NULL DEFAULT 3,
    spec              JSONB NOT NULL,
    submitted_by      TEXT NOT NULL,
    idempotency_key   TEXT,
    request_hash      TEXT,
    failure_reason    TEXT,
    worker_id         TEXT,
    progress          JSONB,
    artifacts         JSONB,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ,
    last_heartbeat_at TIMESTAMPTZ,
    next_retry_at     TIMESTAMPTZ,
    version           BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT jobs_idempotency UNIQUE (tenant_id, idempotency_key)
);

CREATE INDEX jobs_list ON jobs (tenant_id, created_at DESC, id DESC);
CREATE INDEX jobs_status ON jobs (status);

-- Transactional outbox: written in the same transaction as the state change, published by the relay.
CREATE TABLE outbox (
    seq         BIGSERIAL PRIMARY KEY,
    event_id    UUID NOT NULL UNIQUE,
    job_id      UUID NOT NULL,
    topic       TEXT NOT NULL,
    record_key  TEXT NOT NULL,
    payload     BYTEA NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ,
    attempts    INT NOT NULL DEFAULT 0,
    last_error  TEXT
);

CREATE INDEX outbox_pending ON outbox (seq) WHERE sent_at IS NULL;

-- Append-only audit log: every event of every job, stale attempts included.
CREATE TABLE job_events (
    seq          BIGSERIAL PRIMARY KEY,
    event_id     UUID NOT NULL UNIQUE,
    job_id       UUID NOT NULL,
    type         TEXT NOT NULL,
    attempt      INT,
    stale        BOOLEAN NOT NULL DEFAULT FALSE,
    source       TEXT NOT NULL,
    occurred_at  TIMESTAMPTZ,
    recorded_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    cause        TEXT,
    payload      JSONB NOT NULL
);

CREATE INDEX job_events_job ON job_events (job_id, seq);

CREATE FUNCTION job_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'job_events is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER job_events_no_update BEFORE UPDATE OR DELETE ON job_events
    FOR EACH ROW EXECUTE FUNCTION job_events_append_only();

-- Idempotent consumers record each processed event id in the same transaction as its effect.
CREATE TABLE processed_events (
    consumer      TEXT NOT NULL,
    event_id      UUID NOT NULL,
    processed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
