-- no-transaction
-- Problems and changes get their own states, and a record keeps why its priority is what
-- it is. SQLite can't change a CHECK in place, so `records` is rebuilt (the documented
-- twelve steps: foreign keys off, copy, swap, indexes and triggers again, check). Its
-- partial indexes and the open-count triggers take the open states of the domain's life
-- cycles (`domain::lifecycle::category`); `store::tests` compares every list here with it.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE records_next (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL REFERENCES record_counters (kind),
    seq                 INTEGER NOT NULL CHECK (seq >= 1),
    number              TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description         TEXT NOT NULL DEFAULT '',
    state               TEXT NOT NULL CHECK (state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review', 'resolved', 'fulfilled', 'closed', 'rejected', 'cancelled')),
    priority            INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    impact              INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 3),
    urgency             INTEGER NOT NULL CHECK (urgency BETWEEN 1 AND 3),
    category            TEXT NOT NULL DEFAULT '',
    requester_id        INTEGER NOT NULL REFERENCES users (id),
    opened_by_id        INTEGER NOT NULL REFERENCES users (id),
    assignment_group_id INTEGER REFERENCES groups (id),
    assignee_id         INTEGER REFERENCES users (id),
    catalog_item_id     INTEGER REFERENCES catalog_items (id),
    opened_at           TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    first_response_at   TEXT,
    resolved_at         TEXT,
    closed_at           TEXT,
    parent_id           INTEGER REFERENCES records (id),
    service_id          INTEGER REFERENCES services (id),
    hold_reason         TEXT CHECK (hold_reason IN ('awaiting_caller', 'awaiting_vendor', 'awaiting_change')),
    resolution_code     TEXT CHECK (resolution_code IN ('fixed', 'workaround', 'not_reproducible', 'duplicate', 'resolved_by_caller')),
    resolution_notes    TEXT NOT NULL DEFAULT '',
    major               INTEGER NOT NULL DEFAULT 0 CHECK (major IN (0, 1)),
    version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    -- Why the priority is what it is: impact × urgency, raised by a service-level
    -- escalation, or set by an agent (with `priority_reason`).
    priority_basis      TEXT NOT NULL DEFAULT 'matrix' CHECK (priority_basis IN ('matrix', 'escalation', 'override')),
    priority_reason     TEXT NOT NULL DEFAULT '' CHECK (length(priority_reason) <= 200),
    UNIQUE (kind, seq)
);
INSERT INTO records_next (id, kind, seq, number, title, description, state, priority, impact, urgency, category, requester_id, opened_by_id, assignment_group_id, assignee_id, catalog_item_id, opened_at, updated_at, first_response_at, resolved_at, closed_at, parent_id, service_id, hold_reason, resolution_code, resolution_notes, major, version)
    SELECT id, kind, seq, number, title, description, state, priority, impact, urgency, category, requester_id, opened_by_id, assignment_group_id, assignee_id, catalog_item_id, opened_at, updated_at, first_response_at, resolved_at, closed_at, parent_id, service_id, hold_reason, resolution_code, resolution_notes, major, version FROM records;
DROP TABLE records;
ALTER TABLE records_next RENAME TO records;

CREATE INDEX records_requester ON records (requester_id, updated_at DESC, id DESC);
CREATE INDEX records_open ON records (state, updated_at DESC, id DESC);
CREATE INDEX records_group ON records (assignment_group_id, state);
CREATE INDEX records_assignee ON records (assignee_id, state);
CREATE INDEX records_parent ON records (parent_id);
CREATE INDEX records_state_priority ON records (state, priority, opened_at, id);
CREATE INDEX records_state_created ON records (state, opened_at DESC, id DESC);
CREATE INDEX records_open_priority ON records (priority, opened_at, id)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review');
CREATE INDEX records_open_created ON records (opened_at DESC, id DESC)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review');
CREATE INDEX records_open_updated ON records (updated_at DESC, id DESC)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review');
CREATE INDEX records_open_mine_priority ON records (assignee_id, priority, opened_at, id)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review');
CREATE INDEX records_open_mine_created ON records (assignee_id, opened_at DESC, id DESC)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review');
CREATE INDEX records_open_mine_updated ON records (assignee_id, updated_at DESC, id DESC)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review');

CREATE TRIGGER open_counts_insert AFTER INSERT ON records
    WHEN new.state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review')
BEGIN
    INSERT INTO open_counts (group_id, assignee_id, n)
        VALUES (coalesce(new.assignment_group_id, 0), coalesce(new.assignee_id, 0), 1)
        ON CONFLICT (group_id, assignee_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER open_counts_leave AFTER UPDATE OF state, assignment_group_id, assignee_id ON records
    WHEN old.state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review')
BEGIN
    UPDATE open_counts SET n = n - 1
        WHERE group_id = coalesce(old.assignment_group_id, 0) AND assignee_id = coalesce(old.assignee_id, 0);
END;

CREATE TRIGGER open_counts_enter AFTER UPDATE OF state, assignment_group_id, assignee_id ON records
    WHEN new.state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review')
BEGIN
    INSERT INTO open_counts (group_id, assignee_id, n)
        VALUES (coalesce(new.assignment_group_id, 0), coalesce(new.assignee_id, 0), 1)
        ON CONFLICT (group_id, assignee_id) DO UPDATE SET n = n + 1;
END;

COMMIT;
PRAGMA foreign_keys = ON;
