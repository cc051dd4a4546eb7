-- The unassigned view, in each of its sorts. Open records without an assignee are a quarter
-- of the open ones, but a few in a thousand of all: the planner, taking the two conditions
-- as independent, underestimates them forty-fold and sorted all 6,000 at a million records
-- (9 ms); with these it reads the first page in order (0.4 ms).
CREATE INDEX records_open_unassigned_priority ON records (priority, opened_at, id)
    WHERE assignee_id IS NULL AND state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review');
CREATE INDEX records_open_unassigned_created ON records (opened_at DESC, id DESC)
    WHERE assignee_id IS NULL AND state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review');
CREATE INDEX records_open_unassigned_updated ON records (updated_at DESC, id DESC)
    WHERE assignee_id IS NULL AND state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold', 'assessment', 'root_cause_analysis', 'fix_in_progress', 'authorisation', 'scheduled', 'implementation', 'review');
