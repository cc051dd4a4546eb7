-- How an item is approved and fulfilled: JSON lists of steps and of tasks.
ALTER TABLE catalog_items ADD COLUMN approval TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(approval));
ALTER TABLE catalog_items ADD COLUMN fulfilment TEXT NOT NULL DEFAULT '{"tasks":[],"in_sequence":false}'
    CHECK (json_valid(fulfilment));

-- A request follows the plan its item had when it was ordered.
ALTER TABLE request_answers ADD COLUMN approval TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(approval));
ALTER TABLE request_answers ADD COLUMN fulfilment TEXT NOT NULL DEFAULT '{"tasks":[],"in_sequence":false}'
    CHECK (json_valid(fulfilment));

-- Fulfilment tasks (and later child incidents) point at the record they serve.
ALTER TABLE records ADD COLUMN parent_id INTEGER REFERENCES records (id);
CREATE INDEX records_parent ON records (parent_id);

-- One row per approver asked in a step of a request's approval.
CREATE TABLE approvals (
    id          INTEGER PRIMARY KEY,
    record_id   INTEGER NOT NULL REFERENCES records (id),
    step        INTEGER NOT NULL CHECK (step >= 0),
    approver_id INTEGER NOT NULL REFERENCES users (id),
    decision    TEXT CHECK (decision IN ('approved', 'rejected', 'skipped')),
    comment     TEXT NOT NULL DEFAULT '',
    asked_at    TEXT NOT NULL,
    decided_at  TEXT,
    UNIQUE (record_id, step, approver_id)
);
CREATE INDEX approvals_pending ON approvals (approver_id) WHERE decision IS NULL;
CREATE INDEX approvals_record ON approvals (record_id, step);
