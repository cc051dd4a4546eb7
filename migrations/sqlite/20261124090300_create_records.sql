-- One table for every kind of work record (ServiceNow's `task`): incidents, requests,
-- request tasks, problems and changes share numbering, state, assignment and timeline.
CREATE TABLE record_counters (
    kind TEXT PRIMARY KEY CHECK (kind IN ('incident', 'request', 'task', 'problem', 'change')),
    next INTEGER NOT NULL CHECK (next >= 1)
) WITHOUT ROWID;
INSERT INTO record_counters (kind, next) VALUES
    ('incident', 1), ('request', 1), ('task', 1), ('problem', 1), ('change', 1);

CREATE TABLE records (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT NOT NULL REFERENCES record_counters (kind),
    seq                 INTEGER NOT NULL CHECK (seq >= 1),
    number              TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description         TEXT NOT NULL DEFAULT '',
    state               TEXT NOT NULL CHECK (state IN ('new', 'awaiting_approval', 'in_progress',
                            'on_hold', 'resolved', 'fulfilled', 'closed', 'rejected', 'cancelled')),
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
    UNIQUE (kind, seq)
);
CREATE INDEX records_requester ON records (requester_id, updated_at DESC, id DESC);
CREATE INDEX records_open ON records (state, updated_at DESC, id DESC);
CREATE INDEX records_group ON records (assignment_group_id, state);
CREATE INDEX records_assignee ON records (assignee_id, state);

-- Append-only: every change, comment and work note. Timelines, audit history,
-- notifications and SLA clocks are all derived from it.
CREATE TABLE record_events (
    id         INTEGER PRIMARY KEY,
    record_id  INTEGER NOT NULL REFERENCES records (id),
    actor_id   INTEGER REFERENCES users (id),
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('created', 'changed', 'comment')),
    field      TEXT,
    from_value TEXT,
    to_value   TEXT,
    body       TEXT,
    visibility TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
    CHECK ((kind = 'changed') = (field IS NOT NULL)),
    CHECK ((kind = 'comment') = (body IS NOT NULL))
);
CREATE INDEX record_events_record ON record_events (record_id, id);

CREATE TRIGGER record_events_no_update BEFORE UPDATE ON record_events
BEGIN
    SELECT RAISE(ABORT, 'record_events is append-only');
END;
CREATE TRIGGER record_events_no_delete BEFORE DELETE ON record_events
BEGIN
    SELECT RAISE(ABORT, 'record_events is append-only');
END;
