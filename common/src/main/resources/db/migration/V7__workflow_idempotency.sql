-- Idempotency-Key on POST /api/v1/workflows, as on jobs: a client that retries a submission (a timeout, a
-- dropped connection) gets the workflow of its first try instead of a second 30-step training, and the
-- unique constraint makes two concurrent tries create one.
ALTER TABLE workflows ADD COLUMN idempotency_key TEXT;
ALTER TABLE workflows ADD COLUMN request_hash TEXT;
ALTER TABLE workflows ADD CONSTRAINT workflows_idempotency UNIQUE (tenant_id, idempotency_key);
