//! The write path: one connection, and group commit.
//!
//! Writers queue for the one write connection. Each writes inside a savepoint of a
//! transaction (`BEGIN IMMEDIATE`) that the writers queued behind it join; the last of a
//! group commits for all of them. A burst of writes so costs one commit, one `fsync` of the
//! log with `synchronous = FULL`, instead of one each. `Tx::commit` returns only once its
//! group's commit is on disk, so nothing is acknowledged before it is kept. A writer that
//! fails, or is dropped half-way, rolls back to its savepoint and leaves the others' work in
//! the group; a group whose transaction breaks fails every writer in it, none of whom has
//! been answered yet.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::{Sqlite, SqliteConnection, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

use super::StoreError;

/// The most writers one commit covers. A group's first writer waits for its last, so this
/// bounds that wait (a report's work is a fraction of a millisecond).
const MOST_PER_GROUP: usize = 64;

/// What a writer waiting for its group hears: committed, or why not.
type Outcome = Result<(), String>;

/// An open transaction and the writers whose work is in it, waiting for it to commit.
struct Group {
    tx: Transaction<'static, Sqlite>,
    members: Vec<oneshot::Sender<Outcome>>,
}

impl Group {
    /// Ends the group without committing (its transaction rolls back as it drops) and tells
    /// its writers why.
    fn fail(self, why: &sqlx::Error) -> String {
        tracing::error!(error = ?why, writers = self.members.len(), "a group of writes was rolled back");
        let why = why.to_string();
        for member in self.members {
            let _ = member.send(Err(why.clone()));
        }
        why
    }
}

type Slot = OwnedMutexGuard<Option<Group>>;

pub(super) struct Writer {
    pool: SqlitePool,
    /// Whoever holds the lock writes; between two writers of a group it holds the group.
    open: Arc<Mutex<Option<Group>>>,
    /// Writers waiting for the lock: while there are some, a finished writer leaves its
    /// group open for them to join.
    queued: AtomicUsize,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("queued", &self.queued.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}

impl Writer {
    pub(super) fn new(pool: SqlitePool) -> Arc<Self> {
        Arc::new(Self { pool, open: Arc::default(), queued: AtomicUsize::new(0) })
    }

    pub(super) async fn begin(self: &Arc<Self>) -> Result<Tx, StoreError> {
        let queue = Queued::join(self);
        let mut slot = self.open.clone().lock_owned().await;
        queue.served();
        let mut group = match slot.take() {
            Some(group) => group,
            None => Group { tx: self.pool.begin_with("BEGIN IMMEDIATE").await?, members: Vec::new() },
        };
        if let Err(error) = sqlx::query("SAVEPOINT writer").execute(&mut *group.tx).await {
            return Err(StoreError::NotCommitted(group.fail(&error)));
        }
        Ok(Tx { held: Some((slot, group)), writer: self.clone() })
    }

    /// Leaves `group` open for the next writer in the queue, or commits it and tells its
    /// writers.
    async fn settle(&self, mut slot: Slot, group: Group) {
        if self.queued.load(Ordering::Acquire) > 0 && group.members.len() < MOST_PER_GROUP {
            *slot = Some(group);
            return;
        }
        let Group { tx, members } = group;
        let outcome = tx.commit().await.map_err(|error| {
            tracing::error!(?error, writers = members.len(), "a group of writes could not commit");
            error.to_string()
        });
        for member in members {
            let _ = member.send(outcome.clone());
        }
    }

    /// Commits a group left open for a writer that stopped waiting.
    async fn flush(self: Arc<Self>) {
        let mut slot = self.open.clone().lock_owned().await;
        if let Some(group) = slot.take() {
            self.settle(slot, group).await;
        }
    }
}

/// A writer waiting for the lock, counted in `queued` until it has it or gives up.
struct Queued<'a> {
    writer: &'a Arc<Writer>,
    served: bool,
}

impl<'a> Queued<'a> {
    fn join(writer: &'a Arc<Writer>) -> Self {
        writer.queued.fetch_add(1, Ordering::AcqRel);
        Self { writer, served: false }
    }

    fn served(mut self) {
        self.served = true;
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.writer.queued.fetch_sub(1, Ordering::AcqRel);
        // Given up (its request was dropped): a group may have been left open for it.
        if !self.served
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(self.writer.clone().flush());
        }
    }
}

/// One writer's transaction: a savepoint in its group's. Reads and writes through it as a
/// connection (`&mut **tx`); `commit` keeps its work, dropping it undoes it.
pub struct Tx {
    held: Option<(Slot, Group)>,
    writer: Arc<Writer>,
}

const HELD: &str = "a transaction holds its group until it ends";

impl Tx {
    /// Keeps this writer's work; returns once it is committed (with its group).
    pub async fn commit(mut self) -> Result<(), StoreError> {
        let Some((slot, mut group)) = self.held.take() else { return Ok(()) };
        if let Err(error) = sqlx::query("RELEASE writer").execute(&mut *group.tx).await {
            return Err(StoreError::NotCommitted(group.fail(&error)));
        }
        let (done, outcome) = oneshot::channel();
        group.members.push(done);
        self.writer.settle(slot, group).await;
        match outcome.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(why)) => Err(StoreError::NotCommitted(why)),
            Err(_) => Err(StoreError::NotCommitted("the group ended without an answer".into())),
        }
    }

    /// Undoes this writer's work and leaves its group's.
    pub async fn rollback(mut self) -> Result<(), StoreError> {
        let Some((slot, group)) = self.held.take() else { return Ok(()) };
        undo(&self.writer, slot, group).await
    }
}

async fn undo(writer: &Writer, slot: Slot, mut group: Group) -> Result<(), StoreError> {
    if let Err(error) = sqlx::raw_sql("ROLLBACK TO writer; RELEASE writer").execute(&mut *group.tx).await {
        return Err(StoreError::NotCommitted(group.fail(&error)));
    }
    writer.settle(slot, group).await;
    Ok(())
}

impl Drop for Tx {
    fn drop(&mut self) {
        let Some((slot, group)) = self.held.take() else { return };
        // Without a runtime the group drops here: its transaction rolls back and its
        // writers hear that it ended.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let writer = self.writer.clone();
            runtime.spawn(async move {
                let _ = undo(&writer, slot, group).await;
            });
        }
    }
}

impl Deref for Tx {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        &self.held.as_ref().expect(HELD).1.tx
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.held.as_mut().expect(HELD).1.tx
    }
}
