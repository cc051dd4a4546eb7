-- The CMDB: classes of configuration items in a hierarchy, each with its own attributes
-- (a form schema, as catalog forms have) that its subclasses inherit; the CIs; the typed
-- relations between them; and each CI's history. The default classes are data: admins add,
-- edit and retire classes and attributes in the portal.

CREATE TABLE ci_classes (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40),
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 80),
    parent_id   INTEGER REFERENCES ci_classes (id),
    description TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 500),
    attributes  TEXT NOT NULL CHECK (json_valid(attributes)),
    retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    position    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ci_classes_parent ON ci_classes (parent_id);

CREATE TABLE cis (
    id               INTEGER PRIMARY KEY,
    class_id         INTEGER NOT NULL REFERENCES ci_classes (id),
    name             TEXT NOT NULL COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 120),
    status           TEXT NOT NULL CHECK (status IN ('planned', 'in_operation', 'in_maintenance', 'retired')),
    criticality      TEXT NOT NULL CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
    location         TEXT NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    owner_id         INTEGER REFERENCES users (id),
    support_group_id INTEGER REFERENCES groups (id),
    attributes       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX cis_class_name ON cis (class_id, name);
CREATE INDEX cis_name ON cis (name);
CREATE INDEX cis_owner ON cis (owner_id);

-- "from depends on to", "from runs on to": one row per relation, read from both ends.
CREATE TABLE ci_relations (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('depends_on', 'runs_on', 'connected_to', 'member_of')),
    from_id    INTEGER NOT NULL REFERENCES cis (id),
    to_id      INTEGER NOT NULL REFERENCES cis (id),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    UNIQUE (from_id, to_id, kind),
    CHECK (from_id <> to_id)
);
CREATE INDEX ci_relations_to ON ci_relations (to_id, kind);

-- What changed on a CI, who changed it and when: append-only.
CREATE TABLE ci_events (
    id         INTEGER PRIMARY KEY,
    ci_id      INTEGER NOT NULL REFERENCES cis (id),
    actor_id   INTEGER REFERENCES users (id),
    at         TEXT NOT NULL,
    field      TEXT NOT NULL CHECK (length(field) BETWEEN 1 AND 60),
    from_value TEXT,
    to_value   TEXT
);
CREATE INDEX ci_events_ci ON ci_events (ci_id, id);
CREATE TRIGGER ci_events_no_update BEFORE UPDATE ON ci_events
BEGIN
    SELECT RAISE(ABORT, 'ci_events are append-only');
END;
CREATE TRIGGER ci_events_no_delete BEFORE DELETE ON ci_events
BEGIN
    SELECT RAISE(ABORT, 'ci_events are append-only');
END;

INSERT INTO ci_classes (id, code, name, parent_id, description, attributes, position) VALUES
    (1, 'business_service', 'Business service', NULL, 'What the organisation offers its people and customers.', '{"fields":[{"key":"service_hours","label":"Service hours","help":"","required":false,"kind":{"type":"text","max_length":120}},{"key":"customer_facing","label":"Customer facing","kind":{"type":"yes_no"}}]}', 1),
    (2, 'application', 'Application', NULL, 'Software the organisation runs or subscribes to.', '{"fields":[{"key":"vendor","label":"Vendor","help":"","required":false,"kind":{"type":"text","max_length":80}},{"key":"version","label":"Version","help":"","required":false,"kind":{"type":"text","max_length":40}},{"key":"url","label":"Address","help":"","required":false,"kind":{"type":"text","max_length":200,"pattern":"https?://\\S+","pattern_hint":"a web address like https://crm.example.com"}}]}', 2),
    (3, 'database', 'Database', NULL, 'A database an application keeps its data in.', '{"fields":[{"key":"engine","label":"Engine","required":true,"kind":{"type":"choice","options":[{"value":"postgresql","label":"PostgreSQL"},{"value":"sql_server","label":"SQL Server"},{"value":"oracle","label":"Oracle"},{"value":"mysql","label":"MySQL or MariaDB"},{"value":"other","label":"Other"}]}},{"key":"version","label":"Version","help":"","required":false,"kind":{"type":"text","max_length":40}}]}', 3),
    (4, 'host', 'Host', NULL, 'A machine that runs software: a server or a virtual machine.', '{"fields":[{"key":"hostname","label":"Host name","help":"","required":true,"kind":{"type":"text","max_length":253,"pattern":"[A-Za-z0-9][A-Za-z0-9.-]*","pattern_hint":"a host name like db-01.example.com"}},{"key":"operating_system","label":"Operating system","required":false,"kind":{"type":"choice","options":[{"value":"linux","label":"Linux"},{"value":"windows","label":"Windows Server"},{"value":"other","label":"Other"}]}},{"key":"ip_address","label":"IP address","help":"","required":false,"kind":{"type":"text","max_length":45,"pattern":"[0-9A-Fa-f:.]{2,45}","pattern_hint":"an IP address like 10.0.0.12"}}]}', 4),
    (5, 'server', 'Server', 4, 'A physical server.', '{"fields":[{"key":"serial_number","label":"Serial number","help":"","required":false,"kind":{"type":"text","max_length":60}},{"key":"rack","label":"Rack","help":"","required":false,"kind":{"type":"text","max_length":40}},{"key":"warranty_end","label":"Warranty ends","kind":{"type":"date"}}]}', 5),
    (6, 'virtual_machine', 'Virtual machine', 4, 'A virtual machine on a hypervisor or in a cloud.', '{"fields":[{"key":"vcpus","label":"Virtual CPUs","kind":{"type":"number","min":1,"max":512,"whole":true}},{"key":"memory_gb","label":"Memory (GB)","kind":{"type":"number","min":1,"max":4096,"whole":true}}]}', 6),
    (7, 'cluster', 'Cluster', NULL, 'Several hosts or databases that stand in for each other.', '{"fields":[{"key":"redundancy","label":"Redundancy","required":false,"kind":{"type":"choice","options":[{"value":"active_active","label":"Active–active"},{"value":"active_passive","label":"Active–passive"}]}}]}', 7),
    (8, 'network_device', 'Network device', NULL, 'A switch, router, firewall or access point.', '{"fields":[{"key":"device_type","label":"Type","required":true,"kind":{"type":"choice","options":[{"value":"switch","label":"Switch"},{"value":"router","label":"Router"},{"value":"firewall","label":"Firewall"},{"value":"access_point","label":"Wireless access point"},{"value":"load_balancer","label":"Load balancer"}]}},{"key":"management_ip","label":"Management IP","help":"","required":false,"kind":{"type":"text","max_length":45,"pattern":"[0-9A-Fa-f:.]{2,45}","pattern_hint":"an IP address like 10.0.0.12"}}]}', 8),
    (9, 'end_user_device', 'End-user device', NULL, 'A device a person uses: a laptop, phone or printer.', '{"fields":[{"key":"serial_number","label":"Serial number","help":"","required":false,"kind":{"type":"text","max_length":60}},{"key":"model","label":"Model","help":"","required":false,"kind":{"type":"text","max_length":80}},{"key":"purchase_date","label":"Bought on","kind":{"type":"date"}},{"key":"warranty_end","label":"Warranty ends","kind":{"type":"date"}}]}', 9),
    (10, 'laptop', 'Laptop', 9, 'A company laptop.', '{"fields":[{"key":"asset_tag","label":"Asset tag","help":"","required":false,"kind":{"type":"text","max_length":8,"pattern":"LT-[0-9]{5}","pattern_hint":"a tag like LT-12345"}}]}', 10),
    (11, 'mobile_phone', 'Mobile phone', 9, 'A company phone.', '{"fields":[{"key":"phone_number","label":"Phone number","help":"","required":false,"kind":{"type":"text","max_length":20,"pattern":"\\+?[0-9 ()-]{6,20}","pattern_hint":"a phone number"}},{"key":"imei","label":"IMEI","help":"","required":false,"kind":{"type":"text","max_length":15,"pattern":"[0-9]{15}","pattern_hint":"15 digits"}}]}', 11),
    (12, 'printer', 'Printer', 9, 'A shared printer.', '{"fields":[{"key":"ip_address","label":"IP address","help":"","required":false,"kind":{"type":"text","max_length":45,"pattern":"[0-9A-Fa-f:.]{2,45}","pattern_hint":"an IP address like 10.0.0.12"}},{"key":"colour","label":"Prints in colour","kind":{"type":"yes_no"}}]}', 12);
