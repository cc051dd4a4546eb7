-- "Mine" in each order: an agent's own open records read in order, however many they hold.
CREATE INDEX records_open_mine_priority ON records (assignee_id, priority, opened_at, id)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold');
CREATE INDEX records_open_mine_created ON records (assignee_id, opened_at DESC, id DESC)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold');
CREATE INDEX records_open_mine_updated ON records (assignee_id, updated_at DESC, id DESC)
    WHERE state IN ('new', 'awaiting_approval', 'in_progress', 'on_hold');
