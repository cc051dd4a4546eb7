//! Reading the CMDB as a graph: how far an outage spreads and by which path, and where
//! each CI of a neighbourhood sits in the drawing of it.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::cmdb::{CiStatus, Edge, RelationKind, Spread};
use super::ids::{CiClassId, CiId};

/// How many steps an outage is followed; services further away are not counted.
pub const IMPACT_DEPTH_MAX: u32 = 12;
/// How many CIs an impact analysis visits at most; past it the answer says it stopped.
pub const IMPACT_REACH_MAX: usize = 4_000;

/// A CI as lists, searches and drawings show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CiNode {
    pub id: CiId,
    pub name: String,
    pub class: CiClassId,
    pub class_name: String,
    pub status: CiStatus,
    pub owner_name: Option<String>,
    pub support_group_name: Option<String>,
}

/// A relation along which an outage spreads: when `failed` is down, `affected` is too.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spreading {
    pub failed: CiId,
    pub affected: CiId,
    pub affected_class: CiClassId,
    pub edge: Edge,
}

/// Which kinds carry an outage from a relation's second CI to its first, and which from
/// its first to its second: what the store follows, one step at a time.
pub fn spreading_kinds() -> (Vec<RelationKind>, Vec<RelationKind>) {
    let to_first = RelationKind::ALL.into_iter().filter(|k| k.spread() == Spread::ToFirst).collect();
    let to_second = RelationKind::ALL.into_iter().filter(|k| k.spread() == Spread::ToSecond).collect();
    (to_first, to_second)
}

/// A breadth-first walk from a failed CI along the relations an outage spreads by. The
/// store is asked for one step at a time (`frontier`, then `absorb` what it found), so the
/// walk is bounded by depth and by how many CIs it reaches, cycles included: a CI is
/// reached once, by its shortest path.
#[derive(Clone, Debug)]
pub struct ImpactWalk {
    start: CiId,
    reached: BTreeMap<CiId, (CiClassId, Option<(CiId, Edge)>)>,
    frontier: Vec<CiId>,
    depth: u32,
    stopped: bool,
}

impl ImpactWalk {
    pub fn new(start: CiId, class: CiClassId) -> Self {
        let mut reached = BTreeMap::new();
        reached.insert(start, (class, None));
        Self { start, reached, frontier: vec![start], depth: 0, stopped: false }
    }

    /// The CIs to ask the next step for; empty when the walk is over.
    pub fn frontier(&self) -> &[CiId] {
        if self.depth >= IMPACT_DEPTH_MAX || self.stopped { &[] } else { &self.frontier }
    }

    /// Takes one step's relations; the CIs first reached by them are the next frontier.
    pub fn absorb(&mut self, step: &[Spreading]) {
        self.depth += 1;
        let mut next = Vec::new();
        for s in step {
            if self.reached.contains_key(&s.affected) {
                continue;
            }
            if self.reached.len() >= IMPACT_REACH_MAX {
                self.stopped = true;
                break;
            }
            self.reached.insert(s.affected, (s.affected_class, Some((s.failed, s.edge))));
            next.push(s.affected);
        }
        if self.depth >= IMPACT_DEPTH_MAX && !next.is_empty() {
            self.stopped = true;
        }
        self.frontier = next;
    }

    /// Whether the walk ended at a bound rather than running out of relations.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    pub fn reached(&self) -> usize {
        self.reached.len()
    }

    /// The CIs reached whose class `keep` accepts, nearest first, each with its path: the
    /// relations from it back to the failed CI.
    pub fn found(&self, keep: impl Fn(CiClassId) -> bool) -> Vec<(CiId, Vec<Edge>)> {
        let mut found: Vec<(CiId, Vec<Edge>)> = self
            .reached
            .iter()
            .filter(|(id, (class, _))| **id != self.start && keep(*class))
            .map(|(id, _)| (*id, self.path(*id)))
            .collect();
        found.sort_by_key(|(id, path)| (path.len(), *id));
        found
    }

    fn path(&self, mut id: CiId) -> Vec<Edge> {
        let mut path = Vec::new();
        while let Some((_, Some((from, edge)))) = self.reached.get(&id) {
            path.push(*edge);
            id = *from;
        }
        path
    }
}

/// What an impact analysis found: the business services an outage reaches, nearest first,
/// each with its path back to what failed, and how far the walk went.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outage {
    pub services: Vec<(CiId, Vec<Edge>)>,
    pub reached: usize,
    pub stopped: bool,
}

/// One hop of a path as read from the CI above it: "Payroll depends on HR app".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub label: String,
    pub to: CiId,
    pub to_name: String,
}

/// The hops of `path` (from an affected CI back to the failed one), read downwards.
pub fn hops(from: CiId, path: &[Edge], name: impl Fn(CiId) -> String) -> Vec<Hop> {
    let mut at = from;
    path.iter()
        .map(|edge| {
            let (label, to) = if edge.from == at {
                (edge.kind.label(), edge.to)
            } else {
                (edge.kind.inverse_label(), edge.from)
            };
            at = to;
            Hop { label: label.to_owned(), to, to_name: name(to) }
        })
        .collect()
}

/// The most CIs a drawing shows; the nearest are kept.
pub const GRAPH_NODES_MAX: usize = 31;

/// The CIs near one and the relations among them, as far as a drawing goes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Neighbourhood {
    pub edges: Vec<Edge>,
    /// There are CIs within the depth asked for that it leaves out.
    pub more: bool,
}

/// A breadth-first walk out from a CI along relations either way, for a drawing. The
/// store is asked for one step at a time: the relations from the `frontier` to CIs not
/// yet `kept`, at most `GRAPH_NODES_MAX` each way. The walk keeps the first
/// `GRAPH_NODES_MAX` CIs it meets, so however many relations a CI has, a step reads a
/// bounded number of them; a cycle ends where the CIs it comes back to are kept.
#[derive(Clone, Debug)]
pub struct NeighbourhoodWalk {
    kept: Vec<CiId>,
    frontier: Vec<CiId>,
    steps_left: u32,
    more: bool,
}

impl NeighbourhoodWalk {
    pub fn new(centre: CiId, depth: u32) -> Self {
        Self { kept: vec![centre], frontier: vec![centre], steps_left: depth, more: false }
    }

    /// The CIs to ask the next step for; empty when the walk is over.
    pub fn frontier(&self) -> &[CiId] {
        if self.steps_left == 0 { &[] } else { &self.frontier }
    }

    /// The CIs met so far, the centre first, nearest first.
    pub fn kept(&self) -> &[CiId] {
        &self.kept
    }

    /// How many relations a step reads each way at most.
    pub fn step_limit() -> usize {
        GRAPH_NODES_MAX
    }

    /// Takes one step's relations; `cut` when the step read as many as it may one way, so
    /// there may be more beyond them.
    pub fn absorb(&mut self, step: &[Edge], cut: bool) {
        self.steps_left = self.steps_left.saturating_sub(1);
        self.more |= cut;
        let mut next = Vec::new();
        for end in step.iter().flat_map(|e| [e.from, e.to]) {
            if self.kept.contains(&end) {
                continue;
            }
            if self.kept.len() >= GRAPH_NODES_MAX {
                self.more = true;
                break;
            }
            self.kept.push(end);
            next.push(end);
        }
        self.frontier = next;
    }

    pub fn more(&self) -> bool {
        self.more
    }
}
/// Boxes per line of the drawing, so it stays readable on a 360 px phone.
const PER_LINE: usize = 3;
const BOX_W: i32 = 110;
const BOX_H: i32 = 38;
const GAP_X: i32 = 10;
const GAP_Y: i32 = 34;
/// The drawing's width in its own units: three boxes and their gaps.
pub const GRAPH_WIDTH: i32 = PER_LINE as i32 * BOX_W + (PER_LINE as i32 + 1) * GAP_X;

/// A CI in the drawing: its box's top-left corner and how far it is from the centre.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedNode {
    pub node: CiNode,
    pub x: i32,
    pub y: i32,
    pub depth: u32,
}

/// A relation in the drawing, from the bottom or top middle of one box to the other's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedEdge {
    pub x1: i32,
    pub y1: i32,
    pub x2: i32,
    pub y2: i32,
    pub label: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphLayout {
    pub width: i32,
    pub height: i32,
    pub box_width: i32,
    pub box_height: i32,
    pub nodes: Vec<PlacedNode>,
    pub edges: Vec<PlacedEdge>,
    /// The neighbourhood has CIs left out to keep the drawing readable.
    pub more: bool,
}

/// Lays out the neighbourhood of `centre`: the centre on top, then one band per step away,
/// each band in lines of three boxes. `nodes` names the CIs its edges join.
pub fn layout(centre: CiId, near: &Neighbourhood, nodes: &[CiNode]) -> GraphLayout {
    let edges = &near.edges;
    let mut depth: BTreeMap<CiId, u32> = BTreeMap::new();
    depth.insert(centre, 0);
    let mut queue = VecDeque::from([centre]);
    while let Some(at) = queue.pop_front() {
        let d = depth[&at];
        for edge in edges {
            let other = if edge.from == at {
                edge.to
            } else if edge.to == at {
                edge.from
            } else {
                continue;
            };
            if let std::collections::btree_map::Entry::Vacant(slot) = depth.entry(other) {
                slot.insert(d + 1);
                queue.push_back(other);
            }
        }
    }
    let mut order: Vec<(u32, &CiNode)> =
        nodes.iter().filter_map(|n| depth.get(&n.id).map(|d| (*d, n))).collect();
    order.sort_by(|a, b| (a.0, &a.1.class_name, &a.1.name).cmp(&(b.0, &b.1.class_name, &b.1.name)));
    let more = near.more || order.len() > GRAPH_NODES_MAX;
    order.truncate(GRAPH_NODES_MAX);

    let mut placed = Vec::new();
    let mut y = GAP_X;
    let mut band = 0;
    while placed.len() < order.len() {
        let members: Vec<&CiNode> = order.iter().filter(|(d, _)| *d == band).map(|(_, n)| *n).collect();
        for line in members.chunks(PER_LINE) {
            let count = i32::try_from(line.len()).unwrap_or(1);
            let used = count * BOX_W + (count - 1) * GAP_X;
            let mut x = (GRAPH_WIDTH - used) / 2;
            for node in line {
                placed.push(PlacedNode { node: (*node).clone(), x, y, depth: band });
                x += BOX_W + GAP_X;
            }
            y += BOX_H + GAP_Y;
        }
        band += 1;
    }
    let at = |id: CiId| placed.iter().find(|p| p.node.id == id);
    let lines = edges
        .iter()
        .filter_map(|edge| {
            let (a, b) = (at(edge.from)?, at(edge.to)?);
            let (upper, lower) = if a.y <= b.y { (a, b) } else { (b, a) };
            let label =
                if upper.node.id == edge.from { edge.kind.label() } else { edge.kind.inverse_label() };
            let same_line = upper.y == lower.y;
            Some(PlacedEdge {
                x1: upper.x + BOX_W / 2,
                y1: if same_line { upper.y + BOX_H / 2 } else { upper.y + BOX_H },
                x2: lower.x + BOX_W / 2,
                y2: if same_line { lower.y + BOX_H / 2 } else { lower.y },
                label: label.to_owned(),
            })
        })
        .collect();
    GraphLayout {
        width: GRAPH_WIDTH,
        height: y - GAP_Y + GAP_X,
        box_width: BOX_W,
        box_height: BOX_H,
        nodes: placed,
        edges: lines,
        more,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, name: &str) -> CiNode {
        CiNode {
            id: CiId(id),
            name: name.to_owned(),
            class: CiClassId(1),
            class_name: "Server".to_owned(),
            status: CiStatus::InOperation,
            owner_name: None,
            support_group_name: None,
        }
    }

    fn edge(from: i64, kind: RelationKind, to: i64) -> Edge {
        Edge { from: CiId(from), to: CiId(to), kind }
    }

    fn spread(failed: i64, affected: i64, class: i64, edge: Edge) -> Spreading {
        Spreading { failed: CiId(failed), affected: CiId(affected), affected_class: CiClassId(class), edge }
    }

    #[test]
    fn an_outage_spreads_up_dependencies_and_into_clusters_but_not_down() {
        let (to_first, to_second) = spreading_kinds();
        assert!(to_first.contains(&RelationKind::DependsOn) && to_first.contains(&RelationKind::RunsOn));
        assert!(!to_first.contains(&RelationKind::MemberOf));
        assert_eq!(to_second, [RelationKind::MemberOf]);
        assert!(to_first.contains(&RelationKind::ConnectedTo), "a switch down cuts off what hangs off it");
    }

    #[test]
    fn a_walk_finds_each_ci_once_by_its_shortest_path_through_a_cycle() {
        // 1 server; 2 app runs on 1; 3 service depends on 2; 4 app depends on 2 and 2 on 4.
        let mut walk = ImpactWalk::new(CiId(1), CiClassId(5));
        assert_eq!(walk.frontier(), [CiId(1)]);
        walk.absorb(&[spread(1, 2, 2, edge(2, RelationKind::RunsOn, 1))]);
        walk.absorb(&[
            spread(2, 3, 1, edge(3, RelationKind::DependsOn, 2)),
            spread(2, 4, 2, edge(4, RelationKind::DependsOn, 2)),
        ]);
        walk.absorb(&[spread(4, 2, 2, edge(2, RelationKind::DependsOn, 4))]);
        assert!(walk.frontier().is_empty());
        assert!(!walk.stopped());
        let services = walk.found(|class| class == CiClassId(1));
        assert_eq!(services.len(), 1);
        let (service, path) = &services[0];
        assert_eq!(*service, CiId(3));
        assert_eq!(path, &[edge(3, RelationKind::DependsOn, 2), edge(2, RelationKind::RunsOn, 1)]);
        let read = hops(CiId(3), path, |id| format!("ci{}", id.0));
        assert_eq!(
            read.iter().map(|h| format!("{} {}", h.label, h.to_name)).collect::<Vec<_>>(),
            ["depends on ci2", "runs on ci1"]
        );
    }

    #[test]
    fn a_walk_stops_at_its_bounds_and_says_so() {
        let mut walk = ImpactWalk::new(CiId(0), CiClassId(1));
        for step in 0..IMPACT_DEPTH_MAX {
            let at = i64::from(step);
            walk.absorb(&[spread(at, at + 1, 1, edge(at + 1, RelationKind::DependsOn, at))]);
        }
        assert!(walk.stopped());
        assert!(walk.frontier().is_empty());

        let mut wide = ImpactWalk::new(CiId(0), CiClassId(1));
        let many: Vec<Spreading> = (1..=i64::try_from(IMPACT_REACH_MAX).unwrap() + 10)
            .map(|i| spread(0, i, 1, edge(i, RelationKind::DependsOn, 0)))
            .collect();
        wide.absorb(&many);
        assert!(wide.stopped());
        assert_eq!(wide.reached(), IMPACT_REACH_MAX);
    }

    #[test]
    fn a_drawing_puts_the_centre_on_top_and_keeps_to_its_width() {
        let nodes: Vec<CiNode> = (1..=40).map(|i| node(i, &format!("host-{i:02}"))).collect();
        let edges: Vec<Edge> = (2..=40).map(|i| edge(i, RelationKind::RunsOn, 1)).collect();
        let drawn = layout(CiId(1), &Neighbourhood { edges, more: false }, &nodes);
        assert_eq!(drawn.nodes[0].node.id, CiId(1));
        assert_eq!(drawn.nodes[0].depth, 0);
        assert_eq!(drawn.nodes.len(), GRAPH_NODES_MAX);
        assert!(drawn.more, "the farthest are left out and said to be");
        assert!(
            drawn.nodes.iter().all(|p| p.x >= 0 && p.x + BOX_W <= GRAPH_WIDTH && p.y + BOX_H <= drawn.height)
        );
        assert_eq!(drawn.edges.len(), GRAPH_NODES_MAX - 1);
        assert!(drawn.edges.iter().all(|e| e.label == "hosts"));
        let unlinked = layout(CiId(1), &Neighbourhood::default(), &nodes[..1]);
        assert_eq!(unlinked.nodes.len(), 1);
        assert!(unlinked.edges.is_empty() && !unlinked.more);
    }

    #[test]
    fn a_neighbourhood_walk_keeps_the_nearest_and_stops_at_its_depth_or_its_size() {
        let mut walk = NeighbourhoodWalk::new(CiId(1), 2);
        assert_eq!(walk.frontier(), [CiId(1)]);
        walk.absorb(&[edge(2, RelationKind::RunsOn, 1), edge(1, RelationKind::MemberOf, 3)], false);
        assert_eq!(walk.frontier(), [CiId(2), CiId(3)]);
        walk.absorb(&[edge(4, RelationKind::DependsOn, 2)], false);
        assert!(walk.frontier().is_empty(), "two steps asked for, two taken");
        assert_eq!(walk.kept(), [CiId(1), CiId(2), CiId(3), CiId(4)]);
        assert!(!walk.more());

        let mut hub = NeighbourhoodWalk::new(CiId(0), 3);
        let many: Vec<Edge> = (1..=100).map(|i| edge(i, RelationKind::RunsOn, 0)).collect();
        hub.absorb(&many[..NeighbourhoodWalk::step_limit()], true);
        assert_eq!(hub.kept().len(), GRAPH_NODES_MAX);
        assert!(hub.more(), "a step cut short says there is more");
        hub.absorb(&[edge(200, RelationKind::DependsOn, 5)], false);
        assert_eq!(hub.kept().len(), GRAPH_NODES_MAX, "full: nothing further is kept");
        assert!(hub.frontier().is_empty());
    }
}
