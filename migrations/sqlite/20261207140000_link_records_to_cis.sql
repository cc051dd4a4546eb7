-- The CIs a record names as affected: an incident's failing server, a request's laptop.
CREATE TABLE record_cis (
    record_id INTEGER NOT NULL REFERENCES records (id),
    ci_id     INTEGER NOT NULL REFERENCES cis (id),
    added_by  INTEGER REFERENCES users (id),
    added_at  TEXT NOT NULL,
    PRIMARY KEY (record_id, ci_id)
) WITHOUT ROWID;
CREATE INDEX record_cis_ci ON record_cis (ci_id, record_id);
