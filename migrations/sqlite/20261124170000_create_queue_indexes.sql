-- The agents' queue at a million records. Open records are a small share of all of them, so
-- each order of the queue has a partial index over open records only; the queries repeat
-- the same `state IN (...)` term so SQLite can use them.
CREATE INDEX records_open_priority ON records (priority, opened_at, id)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold');
CREATE INDEX records_open_created ON records (opened_at DESC, id DESC)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold');
CREATE INDEX records_open_updated ON records (updated_at DESC, id DESC)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold');

-- How many open records each (group, assignee) pair holds, kept by triggers, so the count
-- of every view is a sum over a few rows instead of a scan. 0 stands for "none".
CREATE TABLE open_counts (
    group_id    INTEGER NOT NULL,
    assignee_id INTEGER NOT NULL,
    n           INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (group_id, assignee_id)
) WITHOUT ROWID;

INSERT INTO open_counts (group_id, assignee_id, n)
    SELECT coalesce(assignment_group_id, 0), coalesce(assignee_id, 0), count(*) FROM records
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold')
    GROUP BY 1, 2;

CREATE TRIGGER open_counts_insert AFTER INSERT ON records
    WHEN new.state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold')
BEGIN
    INSERT INTO open_counts (group_id, assignee_id, n)
        VALUES (coalesce(new.assignment_group_id, 0), coalesce(new.assignee_id, 0), 1)
        ON CONFLICT (group_id, assignee_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER open_counts_leave AFTER UPDATE OF state, assignment_group_id, assignee_id ON records
    WHEN old.state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold')
BEGIN
    UPDATE open_counts SET n = n - 1
        WHERE group_id = coalesce(old.assignment_group_id, 0) AND assignee_id = coalesce(old.assignee_id, 0);
END;

CREATE TRIGGER open_counts_enter AFTER UPDATE OF state, assignment_group_id, assignee_id ON records
    WHEN new.state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold')
BEGIN
    INSERT INTO open_counts (group_id, assignee_id, n)
        VALUES (coalesce(new.assignment_group_id, 0), coalesce(new.assignee_id, 0), 1)
        ON CONFLICT (group_id, assignee_id) DO UPDATE SET n = n + 1;
END;
