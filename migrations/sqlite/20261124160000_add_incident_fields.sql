-- The services people can say are affected. The CMDB's business services take their place
-- once it exists; records keep pointing at the same ids.
CREATE TABLE services (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 120),
    description TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

-- What an incident needs beyond the shared record: the service affected, what a hold waits
-- for, how it was resolved, and the major-incident flag. `version` goes up with every change
-- of a record's fields, so an edit made from an older copy is detected, not applied.
ALTER TABLE records ADD COLUMN service_id INTEGER REFERENCES services (id);
ALTER TABLE records ADD COLUMN hold_reason TEXT
    CHECK (hold_reason IN ('awaiting_caller', 'awaiting_vendor', 'awaiting_change'));
ALTER TABLE records ADD COLUMN resolution_code TEXT
    CHECK (resolution_code IN ('fixed', 'workaround', 'not_reproducible', 'duplicate', 'resolved_by_caller'));
ALTER TABLE records ADD COLUMN resolution_notes TEXT NOT NULL DEFAULT '';
ALTER TABLE records ADD COLUMN major INTEGER NOT NULL DEFAULT 0 CHECK (major IN (0, 1));
ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);

-- Portal-wide settings, one JSON value per key: the priority matrix.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (json_valid(value))
) WITHOUT ROWID;
