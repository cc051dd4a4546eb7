-- What each clock was when last computed, for the queue's badges and the attainment
-- report: running, paused, met or breached, and when it stopped (met or resolved late).
ALTER TABLE record_clocks ADD COLUMN state TEXT CHECK (state IN ('running', 'paused', 'met', 'breached'));
ALTER TABLE record_clocks ADD COLUMN stopped_at TEXT;
-- The "breaching soon" view: running clocks by when they fall due.
CREATE INDEX record_clocks_running_due ON record_clocks (due_at) WHERE due_at IS NOT NULL;
-- The attainment report: clocks by when they stopped or breached.
CREATE INDEX record_clocks_stopped ON record_clocks (stopped_at) WHERE stopped_at IS NOT NULL;
CREATE INDEX record_clocks_breached ON record_clocks (breached_at) WHERE breached_at IS NOT NULL;
