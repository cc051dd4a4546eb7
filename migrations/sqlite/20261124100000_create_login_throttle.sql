-- Failed sign-ins, counted per account (the e-mail as typed) and per client address.
CREATE TABLE login_failures (
    key             TEXT PRIMARY KEY,
    failures        INTEGER NOT NULL CHECK (failures >= 1),
    last_failure_at TEXT NOT NULL
) WITHOUT ROWID;
