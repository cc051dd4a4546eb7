//! The demo organisation's CMDB: five business services, the applications and databases
//! they depend on, the virtual machines, servers and cluster those run on, the core switch
//! they hang off, and a laptop and phone for everyone who is not in IT.

use anyhow::Context;
use chrono::{DateTime, Utc};

use app::domain::cmdb::{CiClass, CiInput, Edge, RelationKind, effective_schema, validate_ci};
use app::domain::form::RawAnswers;
use app::domain::ids::{CiId, GroupId, UserId};
use app::ssr::store::{Store, Tx};

/// A CI of the demo: class code, name, owner (index into the people), support group,
/// criticality, location and attributes.
struct Ci {
    class: &'static str,
    name: &'static str,
    owner: Option<usize>,
    group: &'static str,
    criticality: &'static str,
    location: &'static str,
    attributes: &'static [(&'static str, &'static str)],
}

const DC: &str = "Berlin data centre, hall 2";

const CIS: &[Ci] = &[
    Ci {
        class: "business_service",
        name: "Email and calendar",
        owner: Some(0),
        group: "Service Desk",
        criticality: "critical",
        location: "",
        attributes: &[
            ("description", "Mail, calendars and meeting rooms, on every laptop and phone."),
            ("service_hours", "24 × 7"),
            ("customer_facing", "no"),
        ],
    },
    Ci {
        class: "business_service",
        name: "Payroll",
        owner: Some(8),
        group: "Infrastructure",
        criticality: "critical",
        location: "",
        attributes: &[
            ("description", "Monthly pay, payslips and tax forms for everyone on the payroll."),
            ("service_hours", "Mon–Fri 07:00–19:00"),
            ("customer_facing", "no"),
        ],
    },
    Ci {
        class: "business_service",
        name: "CRM",
        owner: Some(12),
        group: "Infrastructure",
        criticality: "high",
        location: "",
        attributes: &[
            ("description", "Customers, contacts and deals for the sales and support teams."),
            ("service_hours", "Mon–Sat 06:00–22:00"),
            ("customer_facing", "no"),
        ],
    },
    Ci {
        class: "business_service",
        name: "Company website",
        owner: Some(27),
        group: "Infrastructure",
        criticality: "high",
        location: "",
        attributes: &[
            ("description", "The public website and the careers pages."),
            ("service_hours", "24 × 7"),
            ("customer_facing", "yes"),
        ],
    },
    Ci {
        class: "business_service",
        name: "Remote access (VPN)",
        owner: Some(0),
        group: "Network",
        criticality: "high",
        location: "",
        attributes: &[
            ("description", "Working from home or on the road as if in the office."),
            ("service_hours", "24 × 7"),
            ("customer_facing", "no"),
        ],
    },
    Ci {
        class: "business_service",
        name: "Laptops and printers",
        owner: Some(1),
        group: "Workplace",
        criticality: "medium",
        location: "",
        attributes: &[
            ("description", "Company laptops, phones, screens, docks and the office printers."),
            ("service_hours", "Mon–Fri 08:00–18:00"),
            ("customer_facing", "no"),
        ],
    },
    Ci {
        class: "business_service",
        name: "Accounts and sign-in",
        owner: Some(0),
        group: "Access & Identity",
        criticality: "critical",
        location: "",
        attributes: &[
            ("description", "Passwords, multi-factor sign-in and access rights."),
            ("service_hours", "24 × 7"),
            ("customer_facing", "no"),
        ],
    },
    Ci {
        class: "business_service",
        name: "File storage",
        owner: Some(8),
        group: "Infrastructure",
        criticality: "high",
        location: "",
        attributes: &[
            ("description", "Shared drives and personal cloud storage."),
            ("service_hours", "24 × 7"),
            ("customer_facing", "no"),
        ],
    },
    Ci {
        class: "application",
        name: "Mail gateway",
        owner: Some(0),
        group: "Service Desk",
        criticality: "critical",
        location: "",
        attributes: &[("vendor", "Proofpoint"), ("version", "8.21")],
    },
    Ci {
        class: "application",
        name: "Payroll app",
        owner: Some(8),
        group: "Infrastructure",
        criticality: "critical",
        location: "",
        attributes: &[("vendor", "DATEV"), ("version", "2026.2"), ("url", "https://payroll.example.com")],
    },
    Ci {
        class: "application",
        name: "CRM app",
        owner: Some(12),
        group: "Infrastructure",
        criticality: "high",
        location: "",
        attributes: &[("vendor", "SuiteCRM"), ("version", "8.6"), ("url", "https://crm.example.com")],
    },
    Ci {
        class: "application",
        name: "Website CMS",
        owner: Some(27),
        group: "Infrastructure",
        criticality: "high",
        location: "",
        attributes: &[("vendor", "WordPress"), ("version", "6.7"), ("url", "https://www.example.com")],
    },
    Ci {
        class: "application",
        name: "VPN gateway",
        owner: Some(0),
        group: "Network",
        criticality: "high",
        location: "",
        attributes: &[("vendor", "WireGuard"), ("version", "1.0")],
    },
    Ci {
        class: "database",
        name: "payroll-db",
        owner: None,
        group: "Infrastructure",
        criticality: "critical",
        location: "",
        attributes: &[("engine", "postgresql"), ("version", "17")],
    },
    Ci {
        class: "database",
        name: "crm-db",
        owner: None,
        group: "Infrastructure",
        criticality: "high",
        location: "",
        attributes: &[("engine", "mysql"), ("version", "11.4")],
    },
    Ci {
        class: "cluster",
        name: "db-cluster-01",
        owner: None,
        group: "Infrastructure",
        criticality: "critical",
        location: DC,
        attributes: &[("redundancy", "active_passive")],
    },
    Ci {
        class: "server",
        name: "db-01",
        owner: None,
        group: "Infrastructure",
        criticality: "critical",
        location: DC,
        attributes: &[
            ("hostname", "db-01.example.com"),
            ("operating_system", "linux"),
            ("ip_address", "10.0.2.11"),
            ("rack", "B4"),
            ("warranty_end", "2028-03-31"),
        ],
    },
    Ci {
        class: "server",
        name: "db-02",
        owner: None,
        group: "Infrastructure",
        criticality: "critical",
        location: DC,
        attributes: &[
            ("hostname", "db-02.example.com"),
            ("operating_system", "linux"),
            ("ip_address", "10.0.2.12"),
            ("rack", "B4"),
            ("warranty_end", "2028-03-31"),
        ],
    },
    Ci {
        class: "server",
        name: "hv-01",
        owner: None,
        group: "Infrastructure",
        criticality: "critical",
        location: DC,
        attributes: &[
            ("hostname", "hv-01.example.com"),
            ("operating_system", "linux"),
            ("ip_address", "10.0.1.21"),
            ("rack", "B2"),
        ],
    },
    Ci {
        class: "server",
        name: "hv-02",
        owner: None,
        group: "Infrastructure",
        criticality: "critical",
        location: DC,
        attributes: &[
            ("hostname", "hv-02.example.com"),
            ("operating_system", "linux"),
            ("ip_address", "10.0.1.22"),
            ("rack", "B3"),
        ],
    },
    Ci {
        class: "server",
        name: "vpn-01",
        owner: None,
        group: "Network",
        criticality: "high",
        location: DC,
        attributes: &[
            ("hostname", "vpn-01.example.com"),
            ("operating_system", "linux"),
            ("ip_address", "10.0.0.5"),
            ("rack", "A1"),
        ],
    },
    Ci {
        class: "virtual_machine",
        name: "mail-01",
        owner: None,
        group: "Infrastructure",
        criticality: "critical",
        location: "",
        attributes: &[
            ("hostname", "mail-01.example.com"),
            ("operating_system", "linux"),
            ("vcpus", "4"),
            ("memory_gb", "16"),
        ],
    },
    Ci {
        class: "virtual_machine",
        name: "pay-app-01",
        owner: None,
        group: "Infrastructure",
        criticality: "critical",
        location: "",
        attributes: &[
            ("hostname", "pay-app-01.example.com"),
            ("operating_system", "windows"),
            ("vcpus", "8"),
            ("memory_gb", "32"),
        ],
    },
    Ci {
        class: "virtual_machine",
        name: "crm-app-01",
        owner: None,
        group: "Infrastructure",
        criticality: "high",
        location: "",
        attributes: &[
            ("hostname", "crm-app-01.example.com"),
            ("operating_system", "linux"),
            ("vcpus", "4"),
            ("memory_gb", "16"),
        ],
    },
    Ci {
        class: "virtual_machine",
        name: "web-01",
        owner: None,
        group: "Infrastructure",
        criticality: "high",
        location: "",
        attributes: &[
            ("hostname", "web-01.example.com"),
            ("operating_system", "linux"),
            ("vcpus", "2"),
            ("memory_gb", "8"),
        ],
    },
    Ci {
        class: "network_device",
        name: "core-switch-01",
        owner: None,
        group: "Network",
        criticality: "critical",
        location: DC,
        attributes: &[("device_type", "switch"), ("management_ip", "10.0.0.2")],
    },
    Ci {
        class: "network_device",
        name: "fw-01",
        owner: None,
        group: "Network",
        criticality: "critical",
        location: DC,
        attributes: &[("device_type", "firewall"), ("management_ip", "10.0.0.1")],
    },
    Ci {
        class: "printer",
        name: "Printer 2nd floor",
        owner: None,
        group: "Workplace",
        criticality: "low",
        location: "Berlin office, 2nd floor",
        attributes: &[("model", "HP LaserJet M611"), ("ip_address", "10.1.2.40"), ("colour", "no")],
    },
];

const RELATIONS: &[(&str, RelationKind, &str)] = &[
    ("Email and calendar", RelationKind::DependsOn, "Mail gateway"),
    ("Payroll", RelationKind::DependsOn, "Payroll app"),
    ("CRM", RelationKind::DependsOn, "CRM app"),
    ("Company website", RelationKind::DependsOn, "Website CMS"),
    ("Remote access (VPN)", RelationKind::DependsOn, "VPN gateway"),
    ("Payroll app", RelationKind::DependsOn, "payroll-db"),
    ("CRM app", RelationKind::DependsOn, "crm-db"),
    ("Mail gateway", RelationKind::RunsOn, "mail-01"),
    ("Payroll app", RelationKind::RunsOn, "pay-app-01"),
    ("CRM app", RelationKind::RunsOn, "crm-app-01"),
    ("Website CMS", RelationKind::RunsOn, "web-01"),
    ("VPN gateway", RelationKind::RunsOn, "vpn-01"),
    ("payroll-db", RelationKind::RunsOn, "db-cluster-01"),
    ("crm-db", RelationKind::RunsOn, "db-cluster-01"),
    ("db-01", RelationKind::MemberOf, "db-cluster-01"),
    ("db-02", RelationKind::MemberOf, "db-cluster-01"),
    ("mail-01", RelationKind::RunsOn, "hv-01"),
    ("pay-app-01", RelationKind::RunsOn, "hv-01"),
    ("crm-app-01", RelationKind::RunsOn, "hv-02"),
    ("web-01", RelationKind::RunsOn, "hv-02"),
    ("hv-01", RelationKind::ConnectedTo, "core-switch-01"),
    ("hv-02", RelationKind::ConnectedTo, "core-switch-01"),
    ("db-01", RelationKind::ConnectedTo, "core-switch-01"),
    ("db-02", RelationKind::ConnectedTo, "core-switch-01"),
    ("vpn-01", RelationKind::ConnectedTo, "fw-01"),
    ("core-switch-01", RelationKind::ConnectedTo, "fw-01"),
    ("Printer 2nd floor", RelationKind::ConnectedTo, "core-switch-01"),
];

const LAPTOPS: [&str; 4] =
    ["Dell Latitude 7450", "Lenovo ThinkPad T14", "MacBook Air 13", "HP EliteBook 840"];
const PHONES: [&str; 3] = ["iPhone 15", "Samsung Galaxy S24", "Google Pixel 9"];

fn raw(pairs: &[(&str, &str)]) -> RawAnswers {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), vec![(*v).to_owned()])).collect()
}

/// Adds one CI, checked as the CI form checks it, so the demo never holds what the portal
/// would refuse.
async fn add(
    tx: &mut Tx,
    classes: &[CiClass],
    class: &str,
    input: &CiInput,
    now: DateTime<Utc>,
) -> anyhow::Result<CiId> {
    let class = classes.iter().find(|c| c.code == class).with_context(|| format!("no class {class}"))?;
    let schema = effective_schema(classes, class.id)?;
    let fields = validate_ci(&schema, input, now.date_naive())
        .map_err(|e| anyhow::anyhow!("demo CI {} is invalid: {e:?}", input.name))?;
    Ok(app::ssr::service::cmdb::create_ci(tx, None, class, &fields, now).await?)
}

/// Seeds the CMDB: `people` are the demo's people in order, `end_users` those who get a
/// laptop and a phone.
pub async fn seed(
    tx: &mut Tx,
    classes: &[CiClass],
    people: &[UserId],
    end_users: &[UserId],
    group: impl Fn(&str) -> Option<GroupId>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<(&'static str, CiId)>> {
    let mut ids: Vec<(&'static str, CiId)> = Vec::new();
    for ci in CIS {
        let input = CiInput {
            name: ci.name.to_owned(),
            status: "in_operation".to_owned(),
            criticality: ci.criticality.to_owned(),
            location: ci.location.to_owned(),
            owner: ci.owner.and_then(|i| people.get(i).copied()),
            support_group: group(ci.group),
            attributes: raw(ci.attributes),
        };
        ids.push((ci.name, add(tx, classes, ci.class, &input, now).await?));
    }
    let id = |name: &str| ids.iter().find(|(n, _)| *n == name).map(|(_, id)| *id);
    for (from, kind, to) in RELATIONS {
        let (Some(from), Some(to)) = (id(from), id(to)) else {
            anyhow::bail!("demo relation {from} → {to}")
        };
        Store::insert_ci_relation(tx, Edge { from, to, kind: *kind }, None, now).await?;
    }
    for (i, user) in end_users.iter().enumerate() {
        let tag = format!("LT-{:05}", 10_001 + i);
        let laptop = CiInput {
            name: tag.clone(),
            status: "in_operation".to_owned(),
            criticality: "medium".to_owned(),
            location: String::new(),
            owner: Some(*user),
            support_group: group("Workplace"),
            attributes: raw(&[
                ("asset_tag", &tag),
                ("model", LAPTOPS[i % LAPTOPS.len()]),
                ("serial_number", &format!("SN{:08}", 4_711_000 + i * 37)),
                ("warranty_end", "2028-06-30"),
            ]),
        };
        add(tx, classes, "laptop", &laptop, now).await?;
        let phone = CiInput {
            name: format!("MP-{:05}", 20_001 + i),
            status: "in_operation".to_owned(),
            criticality: "low".to_owned(),
            location: String::new(),
            owner: Some(*user),
            support_group: group("Workplace"),
            attributes: raw(&[
                ("model", PHONES[i % PHONES.len()]),
                ("phone_number", &format!("+49 30 5550 {:04}", 100 + i)),
            ]),
        };
        add(tx, classes, "mobile_phone", &phone, now).await?;
    }
    Ok(ids)
}
