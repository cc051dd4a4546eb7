-- What the desk has learnt about a problem: its root cause and the kind of cause, the
-- workaround to pass on until the fix is in, and the fix; and whether it is published as a
-- known error, which needs a workaround.
CREATE TABLE problem_analyses (
    record_id      INTEGER PRIMARY KEY REFERENCES records (id),
    root_cause     TEXT NOT NULL DEFAULT '' CHECK (length(root_cause) <= 20000),
    cause_code     TEXT CHECK (cause_code IN ('software_defect', 'configuration', 'capacity', 'hardware', 'network', 'supplier', 'process', 'security')),
    workaround     TEXT NOT NULL DEFAULT '' CHECK (length(workaround) <= 10000),
    fix            TEXT NOT NULL DEFAULT '' CHECK (length(fix) <= 10000),
    known_error_at TEXT,
    updated_at     TEXT NOT NULL,
    CHECK (known_error_at IS NULL OR workaround <> '')
);
CREATE INDEX problem_analyses_known_errors ON problem_analyses (known_error_at DESC, record_id DESC)
    WHERE known_error_at IS NOT NULL;
