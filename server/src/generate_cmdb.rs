//! `switchboard generate`'s CMDB: one CI for every ten records, in the shape of a real
//! estate. Business services depend on applications, applications on databases; both run on
//! virtual machines, which run on physical servers, sit in clusters and hang off switches.
//! `hv-00001` hosts far more virtual machines than any other server: the heavily-used CI
//! `switchboard bench` asks about.

use std::time::Instant;

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use app::domain::cmdb::{CiFields, CiStatus, Criticality, Edge, RelationKind};
use app::domain::form::{Answer, Answers};
use app::domain::ids::CiId;
use app::ssr::store::Store;

/// CIs or relations per transaction.
const BATCH: usize = 10_000;
/// How many virtual machines the heavily-used server hosts.
pub const BUSY_SERVER_VMS: usize = 400;
/// The heavily-used server's name.
pub const BUSY_SERVER: &str = "hv-00001";

/// Shares of the estate, per thousand CIs.
const SERVICES: usize = 20;
const APPLICATIONS: usize = 100;
const DATABASES: usize = 100;
const SERVERS: usize = 60;
const CLUSTERS: usize = 10;
const SWITCHES: usize = 10;

/// One tier of the estate: the ids of its CIs.
struct Tier {
    ids: Vec<CiId>,
}

impl Tier {
    fn pick(&self, rng: &mut StdRng) -> CiId {
        self.ids[rng.random_range(0..self.ids.len())]
    }
}

/// Adds `count` CIs (at least one of each tier) and about three relations for each.
pub async fn generate(store: &Store, count: usize, seed: u64, now: DateTime<Utc>) -> anyhow::Result<()> {
    let started = Instant::now();
    let classes = store.ci_classes().await?;
    let class = |code: &str| {
        classes
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.id)
            .ok_or_else(|| anyhow::anyhow!("no class {code}"))
    };
    let share = |per_mille: usize| (count * per_mille / 1000).max(1);
    let mut rng = StdRng::seed_from_u64(seed ^ 0xc3db);
    let fixed =
        [SERVICES, APPLICATIONS, DATABASES, SERVERS, CLUSTERS, SWITCHES].map(share).iter().sum::<usize>();
    let tier = async |code: &str, prefix: &str, n: usize, host: bool| -> anyhow::Result<Tier> {
        let id = class(code)?;
        let mut ids = Vec::with_capacity(n);
        for start in (0..n).step_by(BATCH) {
            let mut tx = store.begin().await?;
            for i in start..(start + BATCH).min(n) {
                let name = format!("{prefix}-{:05}", i + 1);
                let fields = fields(&name, host, code, i.is_multiple_of(7));
                ids.push(Store::insert_ci(&mut tx, id, &fields, now).await?);
            }
            tx.commit().await?;
        }
        Ok(Tier { ids })
    };
    let services = tier("business_service", "svc", share(SERVICES), false).await?;
    let applications = tier("application", "app", share(APPLICATIONS), false).await?;
    let databases = tier("database", "db", share(DATABASES), false).await?;
    let servers = tier("server", "hv", share(SERVERS), true).await?;
    let clusters = tier("cluster", "cl", share(CLUSTERS), false).await?;
    let switches = tier("network_device", "sw", share(SWITCHES), false).await?;
    let vms = tier("virtual_machine", "vm", count.saturating_sub(fixed).max(BUSY_SERVER_VMS), true).await?;
    println!("  {} CIs ({:.0} s)", fixed + vms.ids.len(), started.elapsed().as_secs_f64());

    let mut edges: Vec<Edge> = Vec::with_capacity(count * 3);
    let mut edge = |from: CiId, kind: RelationKind, to: CiId| edges.push(Edge { from, to, kind });
    for service in &services.ids {
        for _ in 0..5 {
            edge(*service, RelationKind::DependsOn, applications.pick(&mut rng));
        }
    }
    for application in &applications.ids {
        for _ in 0..3 {
            edge(*application, RelationKind::DependsOn, databases.pick(&mut rng));
            edge(*application, RelationKind::RunsOn, vms.pick(&mut rng));
        }
    }
    for database in &databases.ids {
        for _ in 0..2 {
            edge(*database, RelationKind::RunsOn, vms.pick(&mut rng));
        }
    }
    for (n, vm) in vms.ids.iter().enumerate() {
        let server = if n < BUSY_SERVER_VMS { servers.ids[0] } else { servers.pick(&mut rng) };
        edge(*vm, RelationKind::RunsOn, server);
        edge(*vm, RelationKind::MemberOf, clusters.pick(&mut rng));
        edge(*vm, RelationKind::ConnectedTo, switches.pick(&mut rng));
    }
    for server in &servers.ids {
        edge(*server, RelationKind::ConnectedTo, switches.pick(&mut rng));
    }
    edges.sort_by_key(|e| (e.from, e.to, e.kind.as_str()));
    edges.dedup();
    for chunk in edges.chunks(BATCH) {
        let mut tx = store.begin().await?;
        for e in chunk {
            Store::insert_ci_relation(&mut tx, *e, None, now).await?;
        }
        tx.commit().await?;
    }
    println!("  {} relations ({:.0} s)", edges.len(), started.elapsed().as_secs_f64());
    Ok(())
}

/// A generated CI's fields: hosts get the host name their class requires.
fn fields(name: &str, host: bool, code: &str, critical: bool) -> CiFields {
    let mut attributes = Answers::new();
    if host {
        attributes.insert("hostname".into(), Answer::Text(format!("{name}.example.net")));
    }
    match code {
        "database" => {
            attributes.insert("engine".into(), Answer::Choices(vec!["postgresql".into()]));
        }
        "network_device" => {
            attributes.insert("device_type".into(), Answer::Choices(vec!["switch".into()]));
        }
        _ => {}
    }
    CiFields {
        name: name.to_owned(),
        status: CiStatus::InOperation,
        criticality: if critical { Criticality::High } else { Criticality::Medium },
        location: String::new(),
        owner: None,
        support_group: None,
        attributes,
    }
}
