-- The event log keeps codes and ids, never display text: labels are found when a timeline
-- is shown, and service-level pauses read hold-reason codes, so renaming a label changes no
-- past reading. Events written before this kept words for some fields; they are turned
-- into the codes and ids those words stood for. A name that no longer points at exactly
-- one group or person stays as it was written (the timeline shows it as it is), and so do
-- the words of past service-level warnings, which no rule reads. The log is append-only;
-- only this migration may rewrite it, with its guard lifted for the length of it.
DROP TRIGGER record_events_no_update;

UPDATE record_events SET to_value = CASE to_value
        WHEN 'Awaiting caller' THEN 'awaiting_caller'
        WHEN 'Awaiting vendor' THEN 'awaiting_vendor'
        WHEN 'Awaiting change' THEN 'awaiting_change'
        ELSE to_value END
    WHERE kind = 'changed' AND field = 'hold_reason';

UPDATE record_events SET to_value = CASE to_value
        WHEN 'Fixed' THEN 'fixed'
        WHEN 'Workaround given' THEN 'workaround'
        WHEN 'Could not reproduce' THEN 'not_reproducible'
        WHEN 'Duplicate' THEN 'duplicate'
        WHEN 'Resolved by the caller' THEN 'resolved_by_caller'
        ELSE to_value END
    WHERE kind = 'changed' AND field = 'resolution_code';

-- "P2 High" (an agent's edit) and "P2" (an escalation) are level 2.
UPDATE record_events SET
        from_value = CASE WHEN from_value GLOB 'P[1-5]*' THEN substr(from_value, 2, 1) ELSE from_value END,
        to_value = CASE WHEN to_value GLOB 'P[1-5]*' THEN substr(to_value, 2, 1) ELSE to_value END
    WHERE kind = 'changed' AND field = 'priority';

UPDATE record_events SET
        from_value = CASE from_value WHEN 'High: many people' THEN '1' WHEN 'Medium: a team' THEN '2'
                                     WHEN 'Low: one person' THEN '3' ELSE from_value END,
        to_value = CASE to_value WHEN 'High: many people' THEN '1' WHEN 'Medium: a team' THEN '2'
                                 WHEN 'Low: one person' THEN '3' ELSE to_value END
    WHERE kind = 'changed' AND field = 'impact';

UPDATE record_events SET
        from_value = CASE from_value WHEN 'High: work has stopped' THEN '1' WHEN 'Medium: slowed down' THEN '2'
                                     WHEN 'Low: can wait' THEN '3' ELSE from_value END,
        to_value = CASE to_value WHEN 'High: work has stopped' THEN '1' WHEN 'Medium: slowed down' THEN '2'
                                 WHEN 'Low: can wait' THEN '3' ELSE to_value END
    WHERE kind = 'changed' AND field = 'urgency';

UPDATE record_events SET
        from_value = coalesce((SELECT CAST(id AS TEXT) FROM groups WHERE name = from_value), from_value),
        to_value = coalesce((SELECT CAST(id AS TEXT) FROM groups WHERE name = to_value), to_value)
    WHERE kind = 'changed' AND field = 'group';

UPDATE record_events SET
        field = CASE field WHEN 'watchers' THEN 'watcher' ELSE field END,
        from_value = coalesce((SELECT CAST(min(id) AS TEXT) FROM users WHERE name = from_value
                               HAVING count(*) = 1), from_value),
        to_value = coalesce((SELECT CAST(min(id) AS TEXT) FROM users WHERE name = to_value
                             HAVING count(*) = 1), to_value)
    WHERE kind = 'changed' AND field IN ('assignee', 'watchers');

UPDATE record_events SET field = 'major',
        from_value = CASE from_value WHEN 'yes' THEN 'true' WHEN 'no' THEN 'false' ELSE from_value END,
        to_value = CASE to_value WHEN 'yes' THEN 'true' WHEN 'no' THEN 'false' ELSE to_value END
    WHERE kind = 'changed' AND field = 'major incident';

UPDATE record_events SET
        from_value = CASE
            WHEN from_value LIKE 'Relates to %' THEN 'relates_to ' || substr(from_value, 12)
            WHEN from_value LIKE 'Parent of %' THEN 'parent_of ' || substr(from_value, 11)
            WHEN from_value LIKE 'Child of %' THEN 'child_of ' || substr(from_value, 10)
            WHEN from_value LIKE 'Caused by %' THEN 'caused_by ' || substr(from_value, 11)
            WHEN from_value LIKE 'Caused %' THEN 'caused ' || substr(from_value, 8)
            ELSE from_value END,
        to_value = CASE
            WHEN to_value LIKE 'Relates to %' THEN 'relates_to ' || substr(to_value, 12)
            WHEN to_value LIKE 'Parent of %' THEN 'parent_of ' || substr(to_value, 11)
            WHEN to_value LIKE 'Child of %' THEN 'child_of ' || substr(to_value, 10)
            WHEN to_value LIKE 'Caused by %' THEN 'caused_by ' || substr(to_value, 11)
            WHEN to_value LIKE 'Caused %' THEN 'caused ' || substr(to_value, 8)
            ELSE to_value END
    WHERE kind = 'changed' AND field = 'link';

-- "report.pdf (12 KB)" is the file attached to the same record at the same moment.
UPDATE record_events SET
        to_value = coalesce((SELECT CAST(a.id AS TEXT) FROM attachments a
                             WHERE a.record_id = record_events.record_id AND a.uploaded_at = record_events.at
                               AND substr(record_events.to_value, 1, length(a.file_name) + 2) = a.file_name || ' ('
                             ORDER BY a.id LIMIT 1), to_value)
    WHERE kind = 'changed' AND field = 'attachment';

UPDATE record_events SET field = 'service_level' WHERE kind = 'changed' AND field = 'service level';

CREATE TRIGGER record_events_no_update BEFORE UPDATE ON record_events
BEGIN
    SELECT RAISE(ABORT, 'record_events is append-only');
END;
