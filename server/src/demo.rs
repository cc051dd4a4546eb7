//! A demo organisation for trying Switchboard: departments, people with managers, five
//! assignment groups, a catalog, a CMDB and ~200 records of history. Generated from a fixed seed,
//! so every demo database tells the same story (relative to the day it was made).

use anyhow::Context;
use std::collections::BTreeMap;

use app::domain::approval::{ApprovalStep, FulfilmentPlan, TaskTemplate};
use app::domain::calendar::{CalendarDef, Holiday, WorkingSpan};
use app::domain::event::{NewEvent, Visibility};
use app::domain::form::{FieldDef, FormSchema};
use app::domain::ids::{CatalogItemId, GroupId, UserId};
use app::domain::lifecycle::{HoldReason, Move, MoveDetails, Mover, Requires, ResolutionCode, path_to};
use app::domain::record::{Impact, RecordKind, RecordState, Title, Urgency};
use app::domain::sla_policy::{Conditions, Escalation, PauseOn, SlaPolicy};
use app::domain::user::Role;
use app::ssr::auth::hash_password;
use app::ssr::service::engine::{self, Transition};
use app::ssr::store::{NewCatalogItem, NewRecord, NewUser, Store};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

pub const REQUESTER_EMAIL: &str = "maya.patel@example.com";
pub const AGENT_EMAIL: &str = "sam.okafor@example.com";
pub const ADMIN_EMAIL: &str = "alex.morgan@example.com";
pub const PASSWORD_ENV: &str = "SWITCHBOARD_DEMO_PASSWORD";

/// The sign-ins to print: role and e-mail per line, one shared password.
pub struct DemoAccounts {
    pub password: String,
    pub accounts: Vec<(&'static str, &'static str)>,
}

/// Office hours in Berlin, with the German public holidays of the demo's year.
fn demo_office() -> CalendarDef {
    let mut office = CalendarDef::office("Office hours (Berlin)", "Europe/Berlin");
    office.week[4] = vec![WorkingSpan::new(9 * 60, 15 * 60)];
    office.holidays =
        [(24, "Christmas Eve"), (25, "Christmas Day"), (26, "Boxing Day"), (31, "New Year's Eve")]
            .into_iter()
            .filter_map(|(d, name)| {
                chrono::NaiveDate::from_ymd_opt(2026, 12, d)
                    .map(|date| Holiday { date, name: name.to_owned() })
            })
            .collect();
    office
}

/// Critical and high incidents around the clock; other incidents and requests in office hours.
fn demo_policies(office: i64) -> Vec<SlaPolicy> {
    let policy = |name: &str, conditions: Conditions, calendar_id, response, resolution| SlaPolicy {
        id: 0,
        name: name.to_owned(),
        active: true,
        conditions,
        calendar_id,
        response_minutes: response,
        resolution_minutes: resolution,
        pause_on: vec![PauseOn::DEFAULT],
        warn_percent: 75,
        on_warning: vec![Escalation::NotifyAssignee],
        on_breach: vec![Escalation::NotifyAssignee, Escalation::NotifyGroup],
    };
    let incidents = |priorities: Vec<u8>| Conditions {
        kinds: vec![RecordKind::Incident],
        priorities,
        ..Conditions::default()
    };
    vec![
        policy("Critical and high incidents", incidents(vec![1, 2]), 1, Some(30), Some(8 * 60)),
        policy("Other incidents", incidents(Vec::new()), office, Some(4 * 60), Some(3 * 8 * 60)),
        policy(
            "Service requests",
            Conditions { kinds: vec![RecordKind::Request], ..Conditions::default() },
            office,
            None,
            Some(5 * 8 * 60),
        ),
    ]
}

/// The desk's canned responses: (title, Markdown reply).
const CANNED: &[(&str, &str)] = &[
    (
        "Restart and tell us",
        "Could you restart the device once and tell us whether it still happens? If it does, a screenshot of the message helps us a lot.",
    ),
    (
        "Password reset steps",
        "You can reset your password yourself:\n\n1. Go to the sign-in page and choose **Forgot password**.\n2. Follow the link we e-mail you.\n3. Sign in with the new password on every device.",
    ),
    (
        "Waiting for the vendor",
        "We've raised this with the vendor and are waiting for their answer. We'll update this record as soon as we hear back.",
    ),
];

/// Seeds an empty database; on one already seeded, (re)sets the demo accounts' password to
/// the one printed, so the printed sign-ins always work.
pub async fn ensure(store: &Store) -> anyhow::Result<DemoAccounts> {
    let password = std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty()).unwrap_or_else(|| {
        rand::rng().sample_iter(rand::distr::Alphanumeric).take(16).map(char::from).collect()
    });
    let hash = hash_password(&password).map_err(|e| anyhow::anyhow!("cannot hash the demo password: {e}"))?;
    if store.count_users().await? == 0 {
        seed(store, &hash, Utc::now()).await.context("cannot create the demo data")?;
    } else {
        for email in [REQUESTER_EMAIL, AGENT_EMAIL, ADMIN_EMAIL] {
            store.update_password_hash(email, &hash).await?;
        }
    }
    Ok(DemoAccounts {
        password,
        accounts: vec![("requester", REQUESTER_EMAIL), ("agent", AGENT_EMAIL), ("admin", ADMIN_EMAIL)],
    })
}

struct Person {
    name: &'static str,
    department: usize,
    /// Index into PEOPLE of their manager.
    manager: Option<usize>,
    roles: &'static [Role],
    /// Names of the groups they work in.
    groups: &'static [&'static str],
}

const DEPARTMENTS: [&str; 7] = [
    "Information Technology",
    "Finance",
    "Sales",
    "Engineering",
    "People & Culture",
    "Operations",
    "Marketing",
];

const GROUPS: [(&str, &str); 5] = [
    ("Service Desk", "First line: takes every call, fixes what it can, routes the rest."),
    ("Network", "LAN, Wi-Fi, VPN, firewalls and the links between offices."),
    ("Access & Identity", "Accounts, passwords, single sign-on and access rights."),
    ("Workplace", "Laptops, phones, printers, meeting rooms and desk equipment."),
    ("Infrastructure", "Servers, virtual machines, databases and the data centre."),
];

const AGENT: &[Role] = &[Role::Agent];
const NONE: &[Role] = &[];

const PEOPLE: &[Person] = &[
    Person {
        name: "Alex Morgan",
        department: 0,
        manager: None,
        roles: &[Role::Admin, Role::Agent],
        groups: &["Service Desk"],
    },
    Person {
        name: "Sam Okafor",
        department: 0,
        manager: Some(0),
        roles: AGENT,
        groups: &["Service Desk", "Workplace"],
    },
    Person { name: "Priya Raman", department: 0, manager: Some(0), roles: AGENT, groups: &["Service Desk"] },
    Person { name: "Jonas Weber", department: 0, manager: Some(0), roles: AGENT, groups: &["Network"] },
    Person {
        name: "Lucía Fernández",
        department: 0,
        manager: Some(0),
        roles: AGENT,
        groups: &["Network", "Infrastructure"],
    },
    Person {
        name: "Tomasz Nowak",
        department: 0,
        manager: Some(0),
        roles: AGENT,
        groups: &["Access & Identity"],
    },
    Person {
        name: "Aisha Bello",
        department: 0,
        manager: Some(0),
        roles: AGENT,
        groups: &["Access & Identity", "Service Desk"],
    },
    Person { name: "Ben Carter", department: 0, manager: Some(0), roles: AGENT, groups: &["Workplace"] },
    Person { name: "Hannah Schmidt", department: 1, manager: None, roles: NONE, groups: &[] },
    Person { name: "Maya Patel", department: 1, manager: Some(8), roles: NONE, groups: &[] },
    Person { name: "Oliver Brown", department: 1, manager: Some(8), roles: NONE, groups: &[] },
    Person { name: "Chloé Martin", department: 1, manager: Some(8), roles: NONE, groups: &[] },
    Person { name: "Daniel Kim", department: 2, manager: None, roles: NONE, groups: &[] },
    Person { name: "Grace Mensah", department: 2, manager: Some(12), roles: NONE, groups: &[] },
    Person { name: "Lucas Silva", department: 2, manager: Some(12), roles: NONE, groups: &[] },
    Person { name: "Emma Johansson", department: 2, manager: Some(12), roles: NONE, groups: &[] },
    Person { name: "Ravi Shankar", department: 3, manager: None, roles: NONE, groups: &[] },
    Person { name: "Sofia Rossi", department: 3, manager: Some(16), roles: NONE, groups: &[] },
    Person { name: "Noah Williams", department: 3, manager: Some(16), roles: NONE, groups: &[] },
    Person { name: "Mei Chen", department: 3, manager: Some(16), roles: NONE, groups: &[] },
    Person { name: "Kwame Asante", department: 3, manager: Some(16), roles: NONE, groups: &[] },
    Person { name: "Laura Dubois", department: 4, manager: None, roles: NONE, groups: &[] },
    Person { name: "Ethan Clarke", department: 4, manager: Some(21), roles: NONE, groups: &[] },
    Person { name: "Fatima Zahra", department: 4, manager: Some(21), roles: NONE, groups: &[] },
    Person { name: "Marco Bianchi", department: 5, manager: None, roles: NONE, groups: &[] },
    Person { name: "Isabel Ortiz", department: 5, manager: Some(24), roles: NONE, groups: &[] },
    Person { name: "Yuki Tanaka", department: 5, manager: Some(24), roles: NONE, groups: &[] },
    Person { name: "Olivia Novak", department: 6, manager: None, roles: NONE, groups: &[] },
    Person { name: "Samuel Adeyemi", department: 6, manager: Some(27), roles: NONE, groups: &[] },
    Person { name: "Zoe Thompson", department: 6, manager: Some(27), roles: NONE, groups: &[] },
];

/// The organisation keeps Berlin time; a person with no zone of their own ("") reads it.
const ORGANISATION_TIME_ZONE: &str = "Europe/Berlin";
const TIME_ZONES: [&str; 4] = ["", "Europe/London", "America/New_York", "Asia/Singapore"];

/// An item's form and search keywords, from `demo_forms.json`.
#[derive(serde::Deserialize)]
struct DemoForm {
    keywords: String,
    fields: Vec<FieldDef>,
    /// "manager", or "group:<name>" (any member) / "all:<name>" (every member).
    #[serde(default)]
    approval: Vec<String>,
    /// (title, group name) of each fulfilment task.
    #[serde(default)]
    tasks: Vec<(String, String)>,
    #[serde(default)]
    in_sequence: bool,
}

impl DemoForm {
    fn plan(
        &self,
        group: impl Fn(&str) -> Option<GroupId>,
    ) -> anyhow::Result<(Vec<ApprovalStep>, FulfilmentPlan)> {
        let find = |name: &str| group(name).with_context(|| format!("no demo group {name:?}"));
        let steps = self
            .approval
            .iter()
            .map(|step| match step.split_once(':') {
                None if step == "manager" => Ok(ApprovalStep::Manager),
                Some(("group", name)) => Ok(ApprovalStep::Group { group: find(name)?, all: false }),
                Some(("all", name)) => Ok(ApprovalStep::Group { group: find(name)?, all: true }),
                _ => anyhow::bail!("unknown approval step {step:?}"),
            })
            .collect::<anyhow::Result<_>>()?;
        let tasks = self
            .tasks
            .iter()
            .map(|(title, name)| Ok(TaskTemplate { title: title.clone(), group: find(name)? }))
            .collect::<anyhow::Result<_>>()?;
        Ok((steps, FulfilmentPlan { tasks, in_sequence: self.in_sequence }))
    }
}

fn demo_forms() -> anyhow::Result<BTreeMap<String, DemoForm>> {
    serde_json::from_str(include_str!("demo_forms.json")).context("demo_forms.json is not a set of forms")
}

struct Item {
    slug: &'static str,
    name: &'static str,
    icon: &'static str,
    group: &'static str,
    summary: &'static str,
    description: &'static str,
}

const CATALOG: &[(&str, &str, &str, &str, &[Item])] = &[
    (
        "hardware",
        "Hardware",
        "laptop",
        "Computers, screens and the things you plug into them.",
        &[
            Item {
                slug: "new-laptop",
                name: "New laptop",
                icon: "laptop",
                group: "Workplace",
                summary: "A standard 14-inch business laptop, set up and enrolled.",
                description: "Includes a 14-inch laptop with 16 GB memory, a charger and a sleeve, enrolled in device management with your apps installed.\n\nNeeds your manager's approval. Usually ready for pick-up at the IT bar within three working days.",
            },
            Item {
                slug: "monitor",
                name: "Monitor",
                icon: "laptop",
                group: "Workplace",
                summary: "A 27-inch screen with a USB-C cable for your desk.",
                description: "A 27-inch QHD monitor with a height-adjustable stand and a single USB-C cable that also charges your laptop.\n\nDelivered to your desk; tell us the desk number in the request.",
            },
            Item {
                slug: "docking-station",
                name: "Docking station",
                icon: "laptop",
                group: "Workplace",
                summary: "One cable to your screens, keyboard, mouse and network.",
                description: "A USB-C dock with two display outputs, wired network and four USB ports.\n\nDelivered to your desk within two working days.",
            },
            Item {
                slug: "headset",
                name: "Headset",
                icon: "phone",
                group: "Workplace",
                summary: "Noise-cancelling headset certified for calls.",
                description: "A wireless noise-cancelling headset certified for Teams and Zoom, with a USB dongle.\n\nNo approval needed. Collect it at the IT bar the next working day.",
            },
        ],
    ),
    (
        "software",
        "Software & apps",
        "app",
        "Licences and installs for the tools you work with.",
        &[
            Item {
                slug: "software-licence",
                name: "Software licence",
                icon: "app",
                group: "Service Desk",
                summary: "Request a licence for an approved application.",
                description: "Pick the application from the approved list and tell us why you need it. Licences with a cost need your manager's approval.\n\nInstalled remotely; you'll get a message when it is ready.",
            },
            Item {
                slug: "adobe-creative-cloud",
                name: "Adobe Creative Cloud",
                icon: "app",
                group: "Service Desk",
                summary: "Photoshop, Illustrator, InDesign and Acrobat Pro.",
                description: "A named Creative Cloud licence. Charged to your department each month.\n\nNeeds your manager's approval.",
            },
        ],
    ),
    (
        "access",
        "Access & accounts",
        "key",
        "Sign-ins, permissions and shared resources.",
        &[
            Item {
                slug: "password-reset",
                name: "Password reset",
                icon: "key",
                group: "Access & Identity",
                summary: "Locked out, or your password expired? We'll get you back in.",
                description: "We reset your password and send a one-time link to your manager or to the phone number on file.\n\nFor your own safety we never send passwords by e-mail.",
            },
            Item {
                slug: "shared-mailbox",
                name: "Shared mailbox access",
                icon: "mail",
                group: "Access & Identity",
                summary: "Read or send from a team mailbox.",
                description: "Name the mailbox and whether you need to read only or also send as it. The mailbox owner approves.\n\nAccess appears in Outlook within an hour of approval.",
            },
            Item {
                slug: "application-access",
                name: "Access to an application",
                icon: "shield",
                group: "Access & Identity",
                summary: "Get a role in Salesforce, the finance system or another business application.",
                description: "Choose the application and the role you need. The application owner approves; some roles also need your manager.\n\nAccess is reviewed every quarter.",
            },
        ],
    ),
    (
        "network",
        "Network & remote work",
        "wifi",
        "Connect from the office, home or on the road.",
        &[
            Item {
                slug: "vpn-access",
                name: "VPN access",
                icon: "wifi",
                group: "Network",
                summary: "Connect securely to internal systems from outside the office.",
                description: "Adds you to the remote-access group and sends setup steps for your laptop and phone.\n\nNeeds your manager's approval.",
            },
            Item {
                slug: "guest-wifi",
                name: "Guest Wi-Fi for visitors",
                icon: "wifi",
                group: "Network",
                summary: "Wi-Fi codes for visitors and events.",
                description: "Tell us the dates and how many guests. Codes arrive by e-mail the day before.",
            },
        ],
    ),
    (
        "workplace",
        "Workplace",
        "desk",
        "Phones, printers, rooms and your desk.",
        &[
            Item {
                slug: "mobile-phone",
                name: "Mobile phone",
                icon: "phone",
                group: "Workplace",
                summary: "A company phone with a data plan.",
                description: "A current mid-range smartphone with a company SIM, set up with mail and the authenticator app.\n\nNeeds your manager's approval.",
            },
            Item {
                slug: "meeting-room-equipment",
                name: "Meeting-room equipment",
                icon: "desk",
                group: "Workplace",
                summary: "A projector, speakerphone or camera set up for your meeting.",
                description: "We bring and set up the equipment before your meeting starts and collect it afterwards.\n\nBook at least one working day ahead.",
            },
            Item {
                slug: "lost-device",
                name: "Report a lost device",
                icon: "shield",
                group: "Service Desk",
                summary: "A laptop or phone is lost or stolen: we lock it and protect your data.",
                description: "Report it straight away, even outside office hours: we lock the device remotely, sign it out of every account and, if needed, wipe it.\n\nIf it was stolen, also report it to the police and keep the reference.",
            },
            Item {
                slug: "printer-setup",
                name: "Printer setup",
                icon: "printer",
                group: "Workplace",
                summary: "Add an office printer to your laptop.",
                description: "We add the printer and its secure-release queue to your laptop remotely.",
            },
        ],
    ),
    (
        "people",
        "Joiners & leavers",
        "users",
        "Everything a new starter needs, and a clean exit.",
        &[
            Item {
                slug: "new-starter",
                name: "New starter",
                icon: "users",
                group: "Service Desk",
                summary: "Accounts, laptop and access for someone joining.",
                description: "Raise this at least five working days before the start date. We create the accounts, prepare a laptop and grant the access of the role.\n\nFor managers and People & Culture.",
            },
            Item {
                slug: "leaver",
                name: "Leaver",
                icon: "users",
                group: "Access & Identity",
                summary: "Close accounts and collect equipment when someone leaves.",
                description: "Accounts are disabled at the end of the last day; mail can be forwarded to the manager for 90 days. Equipment is collected at the IT bar.",
            },
        ],
    ),
];

pub(crate) const INCIDENT_TITLES: &[(&str, &str, &str)] = &[
    ("Cannot connect to VPN from home", "network", "Network"),
    ("Outlook keeps asking for my password", "email", "Access & Identity"),
    ("Laptop will not turn on", "hardware", "Workplace"),
    ("Printer on floor 3 shows paper jam", "hardware", "Workplace"),
    ("Wi-Fi drops in meeting room Orion", "network", "Network"),
    ("Teams calls freeze after a few minutes", "software", "Service Desk"),
    ("Locked out of my account", "access", "Access & Identity"),
    ("Finance system very slow this morning", "software", "Service Desk"),
    ("Second screen not detected", "hardware", "Workplace"),
    ("Shared drive missing after update", "storage", "Service Desk"),
    ("Cannot open invoices in the finance system", "software", "Service Desk"),
    ("MFA app lost with old phone", "access", "Access & Identity"),
    ("Website returns error for customers", "software", "Network"),
    ("Laptop battery drains in an hour", "hardware", "Workplace"),
    ("Calendar invites not arriving", "email", "Service Desk"),
];

/// The business service of the demo's CMDB an incident of each category above names.
const SERVICES: &[(&str, &str)] = &[
    ("network", "Remote access (VPN)"),
    ("email", "Email and calendar"),
    ("hardware", "Laptops and printers"),
    ("software", "CRM"),
    ("access", "Accounts and sign-in"),
    ("storage", "File storage"),
];

/// The business service the items of each catalog category are offerings of.
const OFFERINGS: &[(&str, &str)] = &[
    ("hardware", "Laptops and printers"),
    ("workplace", "Laptops and printers"),
    ("access", "Accounts and sign-in"),
    ("network", "Remote access (VPN)"),
];

pub(crate) const REQUEST_TITLES: &[(&str, &str)] = &[
    ("New laptop for the new analyst", "new-laptop"),
    ("Second monitor for my desk", "monitor"),
    ("Headset for customer calls", "headset"),
    ("Licence for Tableau", "software-licence"),
    ("Creative Cloud for the campaign team", "adobe-creative-cloud"),
    ("Reset my password", "password-reset"),
    ("Access to the finance shared mailbox", "shared-mailbox"),
    ("Salesforce role for the new territory", "application-access"),
    ("VPN access for working abroad", "vpn-access"),
    ("Guest Wi-Fi for the partner workshop", "guest-wifi"),
    ("Company phone replacement", "mobile-phone"),
    ("Add the floor 2 printer", "printer-setup"),
    ("New starter: marketing coordinator", "new-starter"),
    ("Leaver: contractor finishing Friday", "leaver"),
];

pub(crate) const AGENT_REPLIES: &[&str] = &[
    "Thanks for reporting this. I'm looking into it now.",
    "Could you tell me when this started, and whether colleagues see the same?",
    "I've applied a fix on our side. Please try again and let me know.",
    "Your request has been approved and is being prepared.",
    "We're waiting for the supplier; I'll update you as soon as I hear back.",
];

pub(crate) const WORK_NOTES: &[&str] = &[
    "Checked the logs: authentication failures from the old device.",
    "Reproduced on a test laptop; looks like the driver update from Tuesday.",
    "Escalated to the vendor, case reference in the supplier portal.",
    "Linked to the known error on the VPN concentrator.",
];

const REQUESTER_REPLIES: &[&str] = &[
    "Thank you, that worked!",
    "It started yesterday after the update.",
    "Still the same, I'm afraid.",
    "Great, thanks for the quick help.",
];

async fn seed(store: &Store, password_hash: &str, now: DateTime<Utc>) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(20_261_124);
    let mut tx = store.begin().await?;

    let mut departments = Vec::new();
    for name in DEPARTMENTS {
        departments.push(Store::insert_department(&mut tx, name).await?);
    }
    let mut groups: Vec<(&str, GroupId)> = Vec::new();
    for (name, description) in GROUPS {
        groups.push((name, Store::insert_group(&mut tx, name, description).await?));
    }
    let group = |name: &str| groups.iter().find(|(n, _)| *n == name).map(|(_, id)| *id);
    let office = Store::insert_calendar(&mut tx, &demo_office()).await?;
    for policy in demo_policies(office) {
        Store::insert_policy(&mut tx, &policy).await?;
    }
    for (title, body) in CANNED {
        Store::insert_canned(&mut tx, title, body, chrono::Utc::now()).await?;
    }

    let mut users: Vec<UserId> = Vec::new();
    for (i, person) in PEOPLE.iter().enumerate() {
        let email = email_for(person.name);
        let user = NewUser {
            email: &email,
            name: person.name,
            password_hash: Some(password_hash),
            department: departments.get(person.department).copied(),
            manager: person.manager.and_then(|m| users.get(m).copied()),
            time_zone: TIME_ZONES[i % TIME_ZONES.len()],
            roles: person.roles,
        };
        let id = Store::insert_user(&mut tx, &user, now - Duration::days(400)).await?;
        for name in person.groups {
            if let Some(g) = group(name) {
                Store::insert_group_member(&mut tx, g, id).await?;
            }
        }
        users.push(id);
    }

    let classes = store.ci_classes().await?;
    let cis = crate::demo_cmdb::seed(&mut tx, &classes, &users, &users[8..], group, now).await?;
    let named = |list: &[(&str, &str)], category: &str| {
        let (_, name) = list.iter().find(|(c, _)| *c == category)?;
        cis.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
    };
    let service = |category: &str| named(SERVICES, category);

    let forms = demo_forms()?;
    let mut items: Vec<(&str, CatalogItemId, Option<GroupId>)> = Vec::new();
    for (position, (slug, name, icon, description, category_items)) in CATALOG.iter().enumerate() {
        let category =
            Store::insert_category(&mut tx, slug, name, description, icon, position as i64).await?;
        for (position, item) in category_items.iter().enumerate() {
            let fulfilment_group = group(item.group);
            let new = NewCatalogItem {
                slug: item.slug,
                name: item.name,
                summary: item.summary,
                description: item.description,
                icon: item.icon,
                fulfilment_group,
                service: named(OFFERINGS, slug),
            };
            let id = Store::insert_catalog_item(&mut tx, category, &new, position as i64).await?;
            if let Some(form) = forms.get(item.slug) {
                Store::set_item_keywords(&mut tx, id, &form.keywords).await?;
                Store::save_form(&mut tx, id, &FormSchema { fields: form.fields.clone() }, now).await?;
                let (steps, plan) = form.plan(group)?;
                Store::set_item_plan(&mut tx, id, &steps, &plan).await?;
            }
            items.push((item.slug, id, fulfilment_group));
        }
    }
    tx.commit().await?;
    store.set_organisation_time_zone(ORGANISATION_TIME_ZONE).await?;

    let agents: Vec<(UserId, &[&str])> = PEOPLE
        .iter()
        .zip(&users)
        .filter(|(p, _)| !p.roles.is_empty())
        .map(|(p, id)| (*id, p.groups))
        .collect();
    let requester = users[9];
    let requesters: Vec<UserId> = users[8..].to_vec();

    // Half a year of history, most of it done, and today's work: a quarter of the records
    // arrive in the last working day, up to the moment the demo is created, so clocks run,
    // some are close to breaching and the bell shows what came in today. Oldest first, so
    // numbers rise with time as they would in a real desk.
    let mut openings: Vec<i64> =
        (0..200)
            .map(|n| {
                if n % 4 == 0 {
                    rng.random_range(5..10 * 60)
                } else {
                    rng.random_range(10 * 60..180 * 24 * 60)
                }
            })
            .collect();
    openings.sort_unstable_by(|a, b| b.cmp(a));
    for (n, minutes_ago) in openings.into_iter().enumerate() {
        let opened_at = now - Duration::minutes(minutes_ago);
        let is_incident = rng.random_bool(0.55);
        // The demo requester owns a handful, so "My requests" has something to show.
        let who = if n % 20 == 3 { requester } else { *requesters.choose(&mut rng).unwrap_or(&requester) };
        let impact = Impact::from_level(rng.random_range(1..=3)).unwrap_or(Impact::Medium);
        let urgency = Urgency::from_level(rng.random_range(1..=3)).unwrap_or(Urgency::Medium);
        let (kind, title, category, group_name, item) = if is_incident {
            let (title, category, group) = *INCIDENT_TITLES.choose(&mut rng).unwrap_or(&INCIDENT_TITLES[0]);
            (RecordKind::Incident, title, category, group, None)
        } else {
            let (title, slug) = *REQUEST_TITLES.choose(&mut rng).unwrap_or(&REQUEST_TITLES[0]);
            let item = items.iter().find(|(s, _, _)| *s == slug);
            let group_name = GROUPS
                .iter()
                .find(|(name, _)| item.and_then(|i| i.2) == group(name))
                .map_or("Service Desk", |(name, _)| *name);
            (RecordKind::Request, title, "request", group_name, item.map(|i| i.1))
        };
        let final_state = pick_state(&mut rng, kind, minutes_ago / 60);
        let assignee = (final_state != RecordState::New)
            .then(|| {
                agents
                    .iter()
                    .filter(|(_, gs)| gs.contains(&group_name))
                    .map(|(id, _)| *id)
                    .collect::<Vec<_>>()
            })
            .and_then(|candidates| candidates.choose(&mut rng).copied());
        let record = NewRecord {
            kind,
            title: Title::parse(title)?,
            description: format!("{title}. Reported through the portal."),
            impact,
            urgency,
            category: category.to_owned(),
            requester: who,
            opened_by: who,
            assignment_group: group(group_name),
            assignee,
            catalog_item: item,
            parent: None,
            cis: service(category).filter(|_| kind == RecordKind::Incident).into_iter().collect(),
            opened_at,
        };
        let history = history(&mut rng, kind, final_state, opened_at, now, who, assignee);
        let mut tx = store.begin().await?;
        let (id, _) = engine::open(&mut tx, &record).await?;
        for step in history {
            match step {
                Step::Move { to, mover, actor, details, at } => {
                    let moved = Transition { details, ..Transition::by(mover, id, to, actor, at) };
                    engine::transition(&mut tx, moved).await?;
                }
                Step::Say(event) => {
                    Store::append_event(&mut tx, id, &event).await?;
                }
            }
        }
        tx.commit().await?;
    }
    // The clocks as they stand now, with the warnings and breaches they raised; then an
    // inbox like that of someone who keeps up: only each person's latest few are unread.
    app::ssr::service::sla::tick(store, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    store.mark_notifications_read_but_latest(6).await?;
    Ok(())
}

/// One step of a demo record's past: a move through the record engine, or a comment.
enum Step {
    Move { to: RecordState, mover: Mover, actor: Option<UserId>, details: MoveDetails, at: DateTime<Utc> },
    Say(NewEvent),
}

fn email_for(name: &str) -> String {
    let ascii: String = name
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' => 'a',
            'é' | 'è' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' => 'u',
            ' ' => '.',
            c => c,
        })
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    format!("{ascii}@example.com")
}

/// Today's records are mostly open, the last fortnight's mostly resolved, older ones done.
fn pick_state(rng: &mut StdRng, kind: RecordKind, age_hours: i64) -> RecordState {
    use RecordState::*;
    let age = match age_hours {
        0..10 => 0,
        10..336 => 1,
        _ => 2,
    };
    let choices: &[(RecordState, u32)] = match (kind, age) {
        (RecordKind::Incident, 0) => &[(New, 4), (InProgress, 5), (OnHold, 1), (Resolved, 1)],
        (RecordKind::Incident, 1) => &[(OnHold, 1), (Resolved, 4), (Closed, 8)],
        (RecordKind::Incident, _) => &[(Resolved, 1), (Closed, 12)],
        (_, 0) => &[(New, 3), (AwaitingApproval, 3), (InProgress, 4), (Fulfilled, 1)],
        (_, 1) => &[(Fulfilled, 3), (Closed, 8), (Rejected, 1)],
        (_, _) => &[(Fulfilled, 1), (Closed, 10), (Rejected, 1)],
    };
    choices.choose_weighted(rng, |(_, weight)| *weight).map_or(New, |(state, _)| *state)
}

/// The steps that take a record from New to `target` by the fewest moves its life cycle
/// allows (`lifecycle::path_to`), spaced out after `opened_at`: approvals made by the
/// approval steps, a hold with its reason, a resolution with its code and notes, and the
/// replies and notes around them.
fn history(
    rng: &mut StdRng,
    kind: RecordKind,
    target: RecordState,
    opened_at: DateTime<Utc>,
    now: DateTime<Utc>,
    requester: UserId,
    assignee: Option<UserId>,
) -> Vec<Step> {
    use RecordState::*;
    let path = path_to(kind, target).unwrap_or_default();
    let span = (now - opened_at).num_minutes().max(path.len() as i64 * 4 + 4);
    let step = span / (path.len() as i64 * 2 + 2);
    let mut at = opened_at;
    let mut steps = Vec::new();
    for (i, Move { to, requires, .. }) in path.iter().enumerate() {
        at += Duration::minutes(rng.random_range(1..=step.max(1)));
        let by_approval = *requires == Requires::Approval;
        let (mover, actor) = if by_approval { (Mover::Approval, None) } else { (Mover::Person, assignee) };
        let details = match to {
            OnHold => MoveDetails {
                hold_reason: Some(
                    *[HoldReason::AwaitingCaller, HoldReason::AwaitingVendor]
                        .choose(rng)
                        .unwrap_or(&HoldReason::AwaitingCaller),
                ),
                ..MoveDetails::default()
            },
            Resolved => MoveDetails {
                resolution_code: Some(ResolutionCode::Fixed),
                resolution_notes: RESOLUTIONS.choose(rng).unwrap_or(&RESOLUTIONS[0]).to_string(),
                ..MoveDetails::default()
            },
            _ => MoveDetails::default(),
        };
        steps.push(Step::Move { to: *to, mover, actor, details, at });
        let mut comments = Vec::new();
        if i == 0 {
            comments.push((assignee, AGENT_REPLIES.choose(rng), Visibility::Public));
        }
        if *to == InProgress && rng.random_bool(0.4) {
            comments.push((assignee, WORK_NOTES.choose(rng), Visibility::Internal));
        }
        if matches!(to, Resolved | Fulfilled) && rng.random_bool(0.5) {
            comments.push((Some(requester), REQUESTER_REPLIES.choose(rng), Visibility::Public));
        }
        steps.extend(comments.into_iter().filter_map(|(actor, body, visibility)| {
            NewEvent::comment(actor, at, body.unwrap_or(&""), visibility).ok().map(Step::Say)
        }));
    }
    steps
}

/// What the desk wrote when it resolved a demo incident.
pub(crate) const RESOLUTIONS: [&str; 3] = [
    "Restarted the service and confirmed with the caller that it works again.",
    "Replaced the faulty part; tested end to end.",
    "Applied the known workaround and linked the problem record.",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_form_is_sound_and_belongs_to_an_item() {
        let slugs: Vec<&str> = CATALOG.iter().flat_map(|c| c.4.iter().map(|i| i.slug)).collect();
        let forms = demo_forms().unwrap();
        assert!(forms.len() >= 12, "{} forms", forms.len());
        for (slug, form) in &forms {
            assert!(slugs.contains(&slug.as_str()), "{slug} is not in the catalog");
            let schema = FormSchema { fields: form.fields.clone() };
            assert_eq!(app::domain::form::validate_schema(&schema), Ok(()), "{slug}");
            let groups: Vec<&str> = GROUPS.iter().map(|g| g.0).collect();
            let (_, plan) = form
                .plan(|name| groups.iter().position(|g| *g == name).map(|i| GroupId(i as i64 + 1)))
                .unwrap_or_else(|e| panic!("{slug}: {e}"));
            assert!(!plan.tasks.is_empty(), "{slug} has no fulfilment task");
        }
    }
}
