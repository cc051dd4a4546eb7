//! Attaching files to a record and reading them back. Bytes are spooled to a temporary file
//! while they arrive (hashed and counted, never held in memory), checked, then kept under
//! the data dir by their SHA-256: `attachments/ab/abcdef…`. A refused upload keeps nothing.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::domain::attachment::{FILES_PER_UPLOAD, Refused, check_file, clean_name};
use crate::domain::event::{EventField, NewEvent};
use crate::domain::policy::Action;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::service::records::{authorize_record, closed_message, closed_to_additions};
use crate::ssr::store::{NewAttachment, Store, StoredFile};

/// Where attachments live and how large one may be.
#[derive(Clone, Debug)]
pub struct Attachments {
    pub dir: PathBuf,
    pub max_bytes: u64,
}

/// How many first bytes a file is judged by.
const HEAD: usize = 512;

impl Attachments {
    pub fn new(data_dir: &Path, max_bytes: u64) -> Self {
        Self { dir: data_dir.join("attachments"), max_bytes }
    }

    fn path_of(&self, sha256: &str) -> PathBuf {
        self.dir.join(&sha256[..2]).join(sha256)
    }

    /// Starts receiving one file called `name` (as the browser sent it).
    pub async fn spool(&self, name: &str) -> Result<Spool, AppError> {
        let tmp = self.dir.join("tmp");
        tokio::fs::create_dir_all(&tmp).await.map_err(|e| AppError::internal(&e))?;
        let path = tmp.join(crate::ssr::auth::random_token(12));
        let file = tokio::fs::File::create(&path).await.map_err(|e| AppError::internal(&e))?;
        Ok(Spool {
            name: clean_name(name),
            path,
            file,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::with_capacity(HEAD),
            max_bytes: self.max_bytes,
        })
    }

    /// The stored bytes of a file and how to serve them, if `actor` may read its record.
    pub async fn open(
        &self,
        store: &Store,
        actor: &CurrentUser,
        id: i64,
    ) -> Result<(StoredFile, PathBuf), AppError> {
        let not_found = || AppError::NotFound("That file".into());
        let file = store.find_attachment(id).await?.ok_or_else(not_found)?;
        authorize_record(store, actor, &file.record_number, Action::ReadRecord).await.map_err(
            |e| match e {
                AppError::NotFound(_) => not_found(),
                other => other,
            },
        )?;
        let path = self.path_of(&file.sha256);
        Ok((file, path))
    }
}

/// One file as it arrives: written to a temporary file, hashed and counted. Past the limit
/// the bytes are counted and dropped, so the whole request can still be answered.
pub struct Spool {
    name: String,
    path: PathBuf,
    file: tokio::fs::File,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    max_bytes: u64,
}

impl Spool {
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), AppError> {
        self.size += chunk.len() as u64;
        if self.head.len() < HEAD {
            let take = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        if self.size <= self.max_bytes {
            self.hasher.update(chunk);
            self.file.write_all(chunk).await.map_err(|e| AppError::internal(&e))?;
        }
        Ok(())
    }

    /// The file received, with its name, size, first bytes and hash.
    pub async fn finish(mut self) -> Result<Received, AppError> {
        self.file.flush().await.map_err(|e| AppError::internal(&e))?;
        Ok(Received {
            name: self.name,
            size: self.size,
            head: self.head,
            sha256: hex::encode(self.hasher.finalize()),
            path: self.path,
        })
    }
}

/// A file fully received into its temporary place.
pub struct Received {
    pub name: String,
    pub size: u64,
    pub head: Vec<u8>,
    pub sha256: String,
    path: PathBuf,
}

impl Received {
    pub async fn discard(self) {
        let _ = tokio::fs::remove_file(&self.path).await;
    }
}

/// Each file with the type it will be served as, or the first refusal.
pub fn check_files<'a>(
    attachments: &Attachments,
    files: &'a [Received],
) -> Result<Vec<(&'a Received, &'static str)>, Refused> {
    if files.len() > FILES_PER_UPLOAD {
        return Err(Refused::TooMany);
    }
    files
        .iter()
        .map(|file| {
            check_file(&file.name, file.size, &file.head, attachments.max_bytes).map(|kind| (file, kind))
        })
        .collect()
}

/// The HTTP status a refusal is answered with.
pub fn refusal_status(refused: &Refused) -> u16 {
    match refused {
        Refused::TooLarge { .. } => 413,
        Refused::Kind { .. } | Refused::Mismatch { .. } => 415,
        Refused::Empty | Refused::NameTooLong | Refused::TooMany => 422,
    }
}

/// Why an upload was turned down: a file refused, or the record not open to it.
#[derive(Debug)]
pub enum UploadError {
    Refused(Refused),
    App(AppError),
}

impl From<AppError> for UploadError {
    fn from(error: AppError) -> Self {
        UploadError::App(error)
    }
}

/// Attaches the `files` received to record `number`, if `actor` may add to it and it is
/// still open to additions. Every file is checked first; if one is refused, none is kept.
/// Each file becomes an event on the timeline. Returns how many were attached.
pub async fn attach(
    store: &Store,
    attachments: &Attachments,
    actor: &CurrentUser,
    number: &str,
    files: Vec<Received>,
    now: DateTime<Utc>,
) -> Result<usize, UploadError> {
    let outcome = keep(store, attachments, actor, number, &files, now).await;
    for file in files {
        file.discard().await;
    }
    outcome
}

async fn keep(
    store: &Store,
    attachments: &Attachments,
    actor: &CurrentUser,
    number: &str,
    files: &[Received],
    now: DateTime<Utc>,
) -> Result<usize, UploadError> {
    let (record, _) = authorize_record(store, actor, number, Action::ReplyToRecord).await?;
    if closed_to_additions(record.state) {
        return Err(closed_message(&record.number, record.state).into());
    }
    if files.is_empty() {
        return Err(UploadError::Refused(Refused::Empty));
    }
    let checked = check_files(attachments, files).map_err(UploadError::Refused)?;
    for (file, _) in &checked {
        let target = attachments.path_of(&file.sha256);
        if tokio::fs::try_exists(&target).await.unwrap_or(false) {
            continue;
        }
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(|e| AppError::internal(&e))?;
        }
        tokio::fs::rename(&file.path, &target).await.map_err(|e| AppError::internal(&e))?;
    }
    let mut tx = store.begin().await.map_err(AppError::from)?;
    for (file, content_type) in &checked {
        let new = NewAttachment {
            record: record.id,
            file_name: &file.name,
            content_type,
            size: file.size,
            sha256: &file.sha256,
            uploaded_by: actor.id,
            at: now,
        };
        let id = Store::insert_attachment(&mut tx, &new).await.map_err(AppError::from)?;
        let what = Some(id.to_string());
        for event in NewEvent::changes(Some(actor.id), now, &[(EventField::Attachment, None, what)]) {
            Store::append_event(&mut tx, record.id, &event).await.map_err(AppError::from)?;
        }
    }
    tx.commit().await.map_err(AppError::from)?;
    Ok(checked.len())
}
