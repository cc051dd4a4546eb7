-- A report that didn't go through, as it was typed, with its problems: the form comes back
-- from `/report?draft=<token>` as its owner left it, JavaScript or not.
CREATE TABLE report_drafts (
    token      TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    draft      TEXT NOT NULL CHECK (json_valid(draft)),
    created_at TEXT NOT NULL
) WITHOUT ROWID;
