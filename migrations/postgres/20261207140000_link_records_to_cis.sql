-- The CIs a record names as affected: an incident's failing server, a request's laptop.
CREATE TABLE record_cis (
    record_id bigint NOT NULL REFERENCES records (id),
    ci_id     bigint NOT NULL REFERENCES cis (id),
    added_by  bigint REFERENCES users (id),
    added_at  timestamptz NOT NULL,
    PRIMARY KEY (record_id, ci_id)
);
CREATE INDEX record_cis_ci ON record_cis (ci_id, record_id);
