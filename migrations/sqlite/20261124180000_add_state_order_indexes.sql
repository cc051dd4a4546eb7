-- A queue filtered to one state (closed ones, say) in priority or creation order: without
-- these, a page would sort every record in that state.
CREATE INDEX records_state_priority ON records (state, priority, opened_at, id);
CREATE INDEX records_state_created ON records (state, opened_at DESC, id DESC);
