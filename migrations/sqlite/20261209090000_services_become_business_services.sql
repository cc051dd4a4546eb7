-- The services people named when they reported an incident become the CMDB's business
-- services: each one the CMDB lacks is added, and every record that named one names that
-- business service as an affected CI instead. Nothing writes or reads records.service_id
-- or the services table any more.
INSERT INTO cis (class_id, name, status, criticality, attributes, created_at, updated_at)
SELECT (SELECT id FROM ci_classes WHERE code = 'business_service'),
       s.name,
       CASE WHEN s.active = 1 THEN 'in_operation' ELSE 'retired' END,
       'medium',
       CASE WHEN s.description = '' THEN '{}'
            ELSE json_object('description', json_object('type', 'text', 'value', s.description)) END,
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM services s
WHERE NOT EXISTS (
    SELECT 1 FROM cis c
    WHERE c.class_id = (SELECT id FROM ci_classes WHERE code = 'business_service') AND c.name = s.name
);

INSERT INTO record_cis (record_id, ci_id, added_by, added_at)
SELECT r.id, c.id, r.opened_by_id, r.opened_at
FROM records r
JOIN services s ON s.id = r.service_id
JOIN cis c ON c.name = s.name AND c.class_id = (SELECT id FROM ci_classes WHERE code = 'business_service')
WHERE r.service_id IS NOT NULL
ON CONFLICT DO NOTHING;
