-- Issue 7: workflows. A workflow is a small DAG of job steps (train, evaluate for each checkpoint,
-- generate); its jobs are ordinary rows of `jobs` that point back to it, so the job machinery
-- (outbox, audit, retries, cancellation) serves workflow steps unchanged.

CREATE TABLE workflows (
    id              UUID PRIMARY KEY,
    tenant_id       TEXT NOT NULL REFERENCES tenants (id),
    template        TEXT,
    -- The validated, expanded workflow (general form): what the scheduler drives.
    spec            JSONB NOT NULL,
    status          TEXT NOT NULL,
    policy          JSONB NOT NULL,
    ranking         JSONB,
    best_step       INT,
    best_location   TEXT,
    failure_reason  TEXT,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    version         BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX workflows_list ON workflows (tenant_id, created_at DESC, id DESC);
CREATE INDEX workflows_status ON workflows (status);

CREATE TABLE workflow_steps (
    workflow_id  UUID NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
    step_id      TEXT NOT NULL,
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL,
    depends_on   JSONB NOT NULL DEFAULT '[]'::jsonb,
    -- The step whose checkpoints this step fans out over (`checkpoints of <step>`), or NULL.
    for_each     TEXT,
    PRIMARY KEY (workflow_id, step_id)
);

-- Every job of a workflow points back to it; a forEach step owns one job per checkpoint.
ALTER TABLE jobs ADD COLUMN workflow_id UUID REFERENCES workflows (id);
ALTER TABLE jobs ADD COLUMN workflow_step TEXT;
CREATE INDEX jobs_workflow ON jobs (workflow_id, workflow_step) WHERE workflow_id IS NOT NULL;
