//! Service-level clocks: how much business time has passed on a record, when its target
//! falls due, and why. The arithmetic works on a *timeline*: consecutive segments of UTC
//! time, each working or closed (a night, a day without hours, a holiday). The server makes
//! the timeline from a calendar (`ssr::calendar`: local hours, a time zone with its
//! daylight-saving changes, holidays); the arithmetic here is the same on the server and in
//! the browser's countdown, with the current time always passed in.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Why a stretch of time does or doesn't count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum SegmentKind {
    /// Inside working hours.
    Working,
    /// A working day, outside its hours (evening, night, early morning, lunch).
    OutsideHours,
    /// A day with no working hours (a weekend).
    DayOff,
    /// A holiday of the calendar, by name.
    Holiday(String),
    /// Working time during which the record waited in a pausing state.
    Paused,
}

impl SegmentKind {
    pub fn counts(&self) -> bool {
        matches!(self, SegmentKind::Working)
    }

    pub fn label(&self) -> String {
        match self {
            SegmentKind::Working => "Counted".to_owned(),
            SegmentKind::OutsideHours => "Outside working hours".to_owned(),
            SegmentKind::DayOff => "No working hours that day".to_owned(),
            SegmentKind::Holiday(name) => format!("Holiday: {name}"),
            SegmentKind::Paused => "Paused".to_owned(),
        }
    }
}

/// A stretch of time `[start, end)` and whether it counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub kind: SegmentKind,
}

impl Segment {
    pub fn length(&self) -> Duration {
        self.end - self.start
    }
}

/// A time the clock stood still: from `start` until `end`, or until now when it is still
/// paused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
}

/// The timeline from `start` on, with the working time inside `pauses` marked paused.
/// Segments are cut where a pause starts or ends; nothing outside working time becomes
/// "paused", so an explanation still says "night" for a night spent on hold.
pub fn with_pauses(timeline: &[Segment], pauses: &[Pause], start: DateTime<Utc>) -> Vec<Segment> {
    let mut out = Vec::new();
    for segment in timeline {
        if segment.end <= start {
            continue;
        }
        let segment = Segment { start: segment.start.max(start), ..segment.clone() };
        if !segment.kind.counts() {
            out.push(segment);
            continue;
        }
        // Cut the working segment at every pause edge inside it.
        let mut edges = vec![segment.start, segment.end];
        for pause in pauses {
            for edge in [Some(pause.start), pause.end].into_iter().flatten() {
                if edge > segment.start && edge < segment.end {
                    edges.push(edge);
                }
            }
        }
        edges.sort();
        edges.dedup();
        for pair in edges.windows(2) {
            let (from, to) = (pair[0], pair[1]);
            let paused = pauses.iter().any(|p| p.start <= from && p.end.is_none_or(|end| end >= to));
            let kind = if paused { SegmentKind::Paused } else { SegmentKind::Working };
            match out.last_mut() {
                Some(last) if last.kind == kind && last.end == from => last.end = to,
                _ => out.push(Segment { start: from, end: to, kind }),
            }
        }
    }
    out
}

/// Business time counted from `start` until `now`.
pub fn elapsed(timeline: &[Segment], pauses: &[Pause], start: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    with_pauses(timeline, pauses, start)
        .iter()
        .filter(|s| s.kind.counts() && s.start < now)
        .map(|s| s.end.min(now) - s.start)
        .fold(Duration::zero(), |sum, d| sum + d)
}

/// Working time spent paused from `start` until `now`.
pub fn paused(timeline: &[Segment], pauses: &[Pause], start: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    with_pauses(timeline, pauses, start)
        .iter()
        .filter(|s| s.kind == SegmentKind::Paused && s.start < now)
        .map(|s| s.end.min(now) - s.start)
        .fold(Duration::zero(), |sum, d| sum + d)
}

/// The instant `target` of business time has passed since `start`, skipping closed time
/// and pauses. `None` while a pause is still open at the point the target would be reached,
/// or when the timeline ends first (the caller extends it).
pub fn deadline(
    timeline: &[Segment],
    pauses: &[Pause],
    start: DateTime<Utc>,
    target: Duration,
) -> Option<DateTime<Utc>> {
    let mut left = target;
    for segment in with_pauses(timeline, pauses, start) {
        if segment.kind == SegmentKind::Paused
            && pauses.iter().any(|p| p.end.is_none() && p.start <= segment.start)
        {
            return None;
        }
        if !segment.kind.counts() {
            continue;
        }
        if segment.length() >= left {
            // A target of zero falls due at the first working instant.
            return Some(segment.start + left);
        }
        left -= segment.length();
    }
    None
}

/// Where a clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum ClockState {
    Running,
    Paused,
    Met,
    Breached,
}

impl ClockState {
    pub fn label(self) -> &'static str {
        match self {
            ClockState::Running => "Running",
            ClockState::Paused => "Paused",
            ClockState::Met => "Met",
            ClockState::Breached => "Breached",
        }
    }
}

/// One clock read at `now`: what it aims at, what has been counted, what is left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockReading {
    pub state: ClockState,
    pub target: Duration,
    pub elapsed: Duration,
    pub remaining: Duration,
    pub paused: Duration,
    pub deadline: Option<DateTime<Utc>>,
}

/// Reads a clock that started at `start` with `target` business time, stopped at `stopped`
/// if it was met (the first response, the resolution), at `now`.
pub fn read(
    timeline: &[Segment],
    pauses: &[Pause],
    start: DateTime<Utc>,
    target: Duration,
    stopped: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> ClockReading {
    let until = stopped.unwrap_or(now);
    let elapsed = elapsed(timeline, pauses, start, until);
    let paused_for = paused(timeline, pauses, start, until);
    let deadline = deadline(timeline, pauses, start, target);
    let over = elapsed > target;
    let state = match stopped {
        Some(_) if over => ClockState::Breached,
        Some(_) => ClockState::Met,
        None if over || deadline.is_some_and(|d| d < now) => ClockState::Breached,
        None if pauses.iter().any(|p| p.end.is_none() && p.start <= now) => ClockState::Paused,
        None => ClockState::Running,
    };
    ClockReading {
        state,
        target,
        elapsed,
        remaining: (target - elapsed).max(Duration::zero()),
        paused: paused_for,
        deadline,
    }
}

/// A record's clock as its page shows it: the reading, and the segments that explain it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockView {
    /// "First response" or "Resolution".
    pub name: String,
    pub policy: String,
    pub calendar: String,
    pub warn_percent: u8,
    /// The states that stop it, as people read them.
    pub pauses_on: Vec<String>,
    /// When it warns, unless it is stopped.
    pub warn_at: Option<DateTime<Utc>>,
    pub started_at: DateTime<Utc>,
    /// When it was met (or stopped past its target), if it was.
    pub stopped_at: Option<DateTime<Utc>>,
    pub reading: ClockReading,
    pub explanation: Vec<Segment>,
}

impl ClockView {
    /// The clock read again at `now` from its own segments, as the browser's countdown
    /// does; the server's reading stands for a clock that is paused or stopped.
    pub fn at(&self, now: DateTime<Utc>) -> ClockReading {
        let running = self.stopped_at.is_none() && self.reading.state != ClockState::Paused;
        if !running || now <= self.started_at {
            return self.reading.clone();
        }
        read(&self.explanation, &[], self.started_at, self.reading.target, None, now)
    }
}

/// A record's most pressing clock, as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockBadge {
    pub record: super::ids::RecordId,
    pub state: ClockState,
    pub due_at: Option<DateTime<Utc>>,
    /// Its warning has been raised.
    pub warned: bool,
}

impl ClockBadge {
    /// "Due 25 Nov 14:30 CET", "Breached", "Paused", "Met", read in `zone`.
    pub fn text(&self, zone: &crate::fmt::Zone) -> String {
        match (self.state, self.due_at) {
            (ClockState::Running, Some(due)) => format!("Due {}", zone.day_time_named(due)),
            (state, _) => state.label().to_owned(),
        }
    }

    /// One badge per record: its most pressing clock. Breached comes first, then running
    /// (the earliest due first), then paused, then met.
    pub fn most_pressing(clocks: impl IntoIterator<Item = ClockBadge>) -> Vec<ClockBadge> {
        let rank = |badge: &ClockBadge| {
            let state = match badge.state {
                ClockState::Breached => 0,
                ClockState::Running => 1,
                ClockState::Paused => 2,
                ClockState::Met => 3,
            };
            (state, badge.due_at)
        };
        let mut best: Vec<ClockBadge> = Vec::new();
        for clock in clocks {
            match best.iter_mut().find(|b| b.record == clock.record) {
                Some(kept) if rank(&clock) < rank(kept) => *kept = clock,
                Some(_) => {}
                None => best.push(clock),
            }
        }
        best
    }

    /// The badge's tone: "danger", "warn", "ok" or "neutral".
    pub fn tone(&self) -> &'static str {
        match self.state {
            ClockState::Breached => "danger",
            ClockState::Running if self.warned => "warn",
            ClockState::Paused => "warn",
            ClockState::Met => "ok",
            ClockState::Running => "neutral",
        }
    }
}

/// A running clock of an open record, for the "breaching soon" view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueClock {
    pub number: String,
    pub title: String,
    pub priority: super::record::Priority,
    pub state: super::record::RecordState,
    pub group_name: Option<String>,
    pub assignee_name: Option<String>,
    /// "First response" or "Resolution".
    pub clock: String,
    pub due_at: DateTime<Utc>,
    pub warned: bool,
    pub breached: bool,
}

impl DueClock {
    /// Wall-clock time until it falls due at `now`; negative once past.
    pub fn left(&self, now: DateTime<Utc>) -> Duration {
        self.due_at - now
    }
}

/// "45 s", "2 h 05 min", "24 h", "12 d 4 h": a duration as the clocks show it. Business
/// time reads in hours (24 h of office time is three working days, not one day); only
/// very long stretches read in days.
pub fn duration_text(d: Duration) -> String {
    let seconds = d.num_seconds().max(0);
    let (hours, minutes) = (seconds / 3_600, seconds % 3_600 / 60);
    match (hours, minutes) {
        (0, 0) => format!("{seconds} s"),
        (0, m) => format!("{m} min"),
        (h, 0) if h < 100 => format!("{h} h"),
        (h, m) if h < 100 => format!("{h} h {m:02} min"),
        (h, _) => format!("{} d {} h", h / 24, h % 24),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_764_000_000, 0).unwrap() + Duration::hours(hour)
    }

    /// Working 9–17 for `days` days from hour 0, nights between.
    fn office(days: i64) -> Vec<Segment> {
        let mut timeline = Vec::new();
        for day in 0..days {
            let base = day * 24;
            timeline.push(Segment { start: at(base), end: at(base + 9), kind: SegmentKind::OutsideHours });
            timeline.push(Segment { start: at(base + 9), end: at(base + 17), kind: SegmentKind::Working });
            timeline.push(Segment {
                start: at(base + 17),
                end: at(base + 24),
                kind: SegmentKind::OutsideHours,
            });
        }
        timeline
    }

    #[test]
    fn only_working_time_counts() {
        let timeline = office(3);
        assert_eq!(elapsed(&timeline, &[], at(10), at(12)), Duration::hours(2));
        assert_eq!(
            elapsed(&timeline, &[], at(16), at(34)),
            Duration::hours(2),
            "one before, one after the night"
        );
        assert_eq!(deadline(&timeline, &[], at(16), Duration::hours(4)), Some(at(36)));
        assert_eq!(
            deadline(&timeline, &[], at(20), Duration::zero()),
            Some(at(33)),
            "due at the next opening"
        );
        assert_eq!(
            deadline(&timeline, &[], at(9), Duration::hours(30)),
            None,
            "past the timeline: extend it"
        );
    }

    #[test]
    fn pauses_push_the_deadline_and_open_ones_hold_it() {
        let timeline = office(3);
        let pause = Pause { start: at(10), end: Some(at(12)) };
        assert_eq!(deadline(&timeline, &[pause], at(9), Duration::hours(4)), Some(at(15)));
        assert_eq!(paused(&timeline, &[pause], at(9), at(20)), Duration::hours(2));
        // A pause over the night only costs its working part.
        let night = Pause { start: at(16), end: Some(at(34)) };
        assert_eq!(paused(&timeline, &[night], at(9), at(40)), Duration::hours(2));
        let open = Pause { start: at(10), end: None };
        assert_eq!(deadline(&timeline, &[open], at(9), Duration::hours(4)), None);
        let reading = read(&timeline, &[open], at(9), Duration::hours(4), None, at(11));
        assert_eq!(
            (reading.state, reading.elapsed, reading.paused),
            (ClockState::Paused, Duration::hours(1), Duration::hours(1))
        );
        // Zero-length pauses change nothing.
        let blink = Pause { start: at(11), end: Some(at(11)) };
        assert_eq!(deadline(&timeline, &[blink], at(9), Duration::hours(4)), Some(at(13)));
    }

    #[test]
    fn a_very_long_pause_costs_exactly_its_working_time() {
        let timeline = office(200);
        let target = Duration::hours(4);
        // Paused from day 1, 10:00 until day 151, 12:00: seven hours that day, 149 days of
        // eight, three on the last.
        let pause = Pause { start: at(24 + 10), end: Some(at(151 * 24 + 12)) };
        assert_eq!(paused(&timeline, &[pause], at(24 + 9), at(190 * 24)), Duration::hours(7 + 149 * 8 + 3));
        assert_eq!(deadline(&timeline, &[pause], at(24 + 9), target), Some(at(151 * 24 + 15)));
        let still_paused = Pause { end: None, ..pause };
        let reading = read(&timeline, &[still_paused], at(24 + 9), target, None, at(100 * 24 + 12));
        assert_eq!(
            (reading.state, reading.elapsed, reading.deadline),
            (ClockState::Paused, Duration::hours(1), None)
        );
    }

    #[test]
    fn a_clock_is_met_breached_or_running() {
        let timeline = office(3);
        let target = Duration::hours(4);
        assert_eq!(read(&timeline, &[], at(9), target, Some(at(12)), at(40)).state, ClockState::Met);
        assert_eq!(read(&timeline, &[], at(9), target, Some(at(15)), at(40)).state, ClockState::Breached);
        assert_eq!(read(&timeline, &[], at(9), target, None, at(14)).state, ClockState::Breached);
        let running = read(&timeline, &[], at(9), target, None, at(11));
        assert_eq!((running.state, running.remaining), (ClockState::Running, Duration::hours(2)));
    }

    #[test]
    fn pausing_never_brings_a_deadline_forward_and_it_always_lands_in_working_time() {
        let timeline = office(30);
        // A small deterministic generator: many starts, targets and pauses.
        let mut seed: u64 = 0x5eed;
        let mut next = |modulo: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % modulo
        };
        for _ in 0..2_000 {
            let start = at(0) + Duration::minutes(next(5 * 24 * 60) as i64);
            let target = Duration::minutes(next(40 * 60) as i64);
            let pause_start = start + Duration::minutes(next(3 * 24 * 60) as i64);
            let pause = Pause {
                start: pause_start,
                end: Some(pause_start + Duration::minutes(next(4 * 24 * 60) as i64)),
            };
            let without = deadline(&timeline, &[], start, target).unwrap();
            let with = deadline(&timeline, &[pause], start, target).unwrap();
            assert!(with >= without, "{start} {target} {pause:?}");
            let inside = |d: DateTime<Utc>| {
                with_pauses(&timeline, &[pause], start)
                    .iter()
                    .any(|s| s.kind.counts() && s.start <= d && d <= s.end)
            };
            assert!(inside(with) || target.is_zero(), "{with} is not working time");
            assert_eq!(elapsed(&timeline, &[pause], start, with), target);
        }
    }

    #[test]
    fn the_browser_counts_down_from_the_same_segments() {
        let timeline = office(2);
        let target = Duration::hours(4);
        let reading = read(&timeline, &[], at(9), target, None, at(10));
        let view = ClockView {
            name: "Resolution".into(),
            policy: "Office".into(),
            calendar: "Office".into(),
            warn_percent: 75,
            pauses_on: Vec::new(),
            warn_at: deadline(&timeline, &[], at(9), Duration::hours(3)),
            started_at: at(9),
            stopped_at: None,
            explanation: with_pauses(&timeline, &[], at(9))
                .into_iter()
                .filter(|s| s.start < at(13))
                .collect(),
            reading,
        };
        assert_eq!(view.at(at(11)).remaining, Duration::hours(2));
        assert_eq!(view.at(at(12)).state, ClockState::Running);
        assert_eq!(view.at(at(14)).state, ClockState::Breached);
        let paused =
            ClockView { reading: ClockReading { state: ClockState::Paused, ..view.reading.clone() }, ..view };
        assert_eq!(paused.at(at(14)), paused.reading, "a paused clock stands still");
    }

    #[test]
    fn a_record_shows_its_most_pressing_clock() {
        use crate::domain::ids::RecordId;
        let badge = |record: i64, state: ClockState, due: Option<i64>| ClockBadge {
            record: RecordId(record),
            state,
            due_at: due.map(at),
            warned: false,
        };
        let shown = ClockBadge::most_pressing([
            badge(1, ClockState::Met, None),
            badge(1, ClockState::Running, Some(8)),
            badge(2, ClockState::Running, Some(9)),
            badge(2, ClockState::Running, Some(5)),
            badge(3, ClockState::Paused, None),
            badge(3, ClockState::Breached, Some(2)),
        ]);
        assert_eq!(
            shown,
            [
                badge(1, ClockState::Running, Some(8)),
                badge(2, ClockState::Running, Some(5)),
                badge(3, ClockState::Breached, Some(2)),
            ]
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(Duration::seconds(45)), "45 s");
        assert_eq!(duration_text(Duration::minutes(125)), "2 h 05 min");
        assert_eq!(duration_text(Duration::hours(24)), "24 h");
        assert_eq!(duration_text(Duration::hours(292)), "12 d 4 h");
    }
}
