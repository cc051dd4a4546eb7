-- Business calendars: a JSON definition (weekly spans in local minutes, IANA zone,
-- holidays). Calendar 1 is around the clock in UTC and always exists.
CREATE TABLE calendars (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
    definition TEXT NOT NULL CHECK (json_valid(definition))
);
INSERT INTO calendars (id, name, definition) VALUES (1, '24×7', json('{"name":"24×7","time_zone":"UTC","week":[[{"start":0,"end":1440}],[{"start":0,"end":1440}],[{"start":0,"end":1440}],[{"start":0,"end":1440}],[{"start":0,"end":1440}],[{"start":0,"end":1440}],[{"start":0,"end":1440}]],"holidays":[]}'));

-- Service-level policies in the order they are tried; the definition is the policy's JSON.
CREATE TABLE sla_policies (
    id          INTEGER PRIMARY KEY,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
    calendar_id INTEGER NOT NULL REFERENCES calendars (id),
    definition  TEXT NOT NULL CHECK (json_valid(definition))
);

-- The clocks a record runs: which policy and target they took, from when. Elapsed time is
-- always counted again from the record's history, so a re-evaluated clock keeps what has
-- passed. For the warning and breach job: when the clock reaches its warning and its
-- target as last computed (`computed_at`; none while paused or stopped), and when each
-- was raised, which happens once.
CREATE TABLE record_clocks (
    record_id      INTEGER NOT NULL REFERENCES records (id),
    kind           TEXT NOT NULL CHECK (kind IN ('response', 'resolution')),
    policy_id      INTEGER NOT NULL REFERENCES sla_policies (id),
    started_at     TEXT NOT NULL,
    target_minutes INTEGER NOT NULL CHECK (target_minutes > 0),
    computed_at    TEXT,
    warn_at        TEXT,
    due_at         TEXT,
    warned_at      TEXT,
    breached_at    TEXT,
    PRIMARY KEY (record_id, kind)
) WITHOUT ROWID;
CREATE INDEX record_clocks_warn ON record_clocks (warn_at) WHERE warned_at IS NULL;
CREATE INDEX record_clocks_due ON record_clocks (due_at) WHERE breached_at IS NULL;
CREATE INDEX record_clocks_stale ON record_clocks (computed_at);
