//! Agents linking records to each other, and choosing who watches a record.

use chrono::{DateTime, Utc};

use crate::domain::event::{EventField, NewEvent};
use crate::domain::link::{LinkFacts, LinkKind, LinkRole, check_link};
use crate::domain::policy::Action;
use crate::domain::record::RecordDetail;
use crate::domain::user::CurrentUser;
use crate::error::AppError;
use crate::ssr::service::records::authorize_record;
use crate::ssr::store::{Store, Tx};

/// A link request read: the role, the two records (both the agent's to update), and the
/// stored link's kind and direction (`true` when this record is its `from` end).
async fn request(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    role: &str,
    other: &str,
) -> Result<(LinkRole, RecordDetail, RecordDetail, bool, LinkKind), AppError> {
    let role = LinkRole::parse(role).ok_or_else(|| AppError::field("role", "Pick how they are linked."))?;
    let (this, that) = pair(store, actor, number, other).await?;
    let (this_is_from, kind) = role.stored();
    Ok((role, this, that, this_is_from, kind))
}

/// The two records of a link request, both readable by the agent.
async fn pair(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    other: &str,
) -> Result<(RecordDetail, RecordDetail), AppError> {
    let (this, _) = authorize_record(store, actor, number, Action::UpdateRecord).await?;
    let (that, _) =
        authorize_record(store, actor, other, Action::UpdateRecord).await.map_err(|e| match e {
            AppError::NotFound(_) => AppError::field("other", "No record has that number."),
            other => other,
        })?;
    Ok((this, that))
}

/// An event on each end: "link: nothing → Child of INC…" here, the reverse there.
async fn log_both(
    tx: &mut Tx,
    actor: &CurrentUser,
    (this, that): (&RecordDetail, &RecordDetail),
    role: LinkRole,
    added: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for (record, role, other) in [(this, role, that), (that, role.reversed(), this)] {
        let code = Some(format!("{} {}", role.as_str(), other.number));
        let (from, to) = if added { (None, code) } else { (code, None) };
        for event in NewEvent::changes(Some(actor.id), now, &[(EventField::Link, from, to)]) {
            Store::append_event(tx, record.id, &event).await?;
        }
    }
    Ok(())
}

/// Links record `number` to `other` as "number <role> other".
pub async fn link(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    role: &str,
    other: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (role, this, that, this_is_from, kind) = request(store, actor, number, role, other).await?;
    let (from, to) = if this_is_from { (&this, &that) } else { (&that, &this) };
    let mut tx = store.begin().await?;
    let (parent_has_parent, _) = Store::family(&mut tx, from.id).await?;
    let (child_has_parent, child_has_children) = Store::family(&mut tx, to.id).await?;
    let facts = LinkFacts {
        same_record: this.id == that.id,
        already_linked: Store::link_exists(&mut tx, from.id, to.id, kind).await?,
        kinds: (this.kind, that.kind),
        parent_has_parent,
        child_has_parent,
        child_has_children,
    };
    check_link(role, &facts).map_err(|message| AppError::field("other", message))?;
    Store::insert_link(&mut tx, from.id, to.id, kind, actor.id, now).await?;
    log_both(&mut tx, actor, (&this, &that), role, true, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the link "number <role> other".
pub async fn unlink(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    role: &str,
    other: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (role, this, that, this_is_from, kind) = request(store, actor, number, role, other).await?;
    let (from, to) = if this_is_from { (&this, &that) } else { (&that, &this) };
    let mut tx = store.begin().await?;
    if !Store::delete_link(&mut tx, from.id, to.id, kind).await? {
        return Err(AppError::NotFound("That link".into()));
    }
    log_both(&mut tx, actor, (&this, &that), role, false, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds the person with e-mail `email` to the record's watchers: they read it and hear of
/// its replies and resolution.
pub async fn watch(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (record, access) = authorize_record(store, actor, number, Action::UpdateRecord).await?;
    let user = store
        .find_user_id_by_email(&email.trim().to_lowercase())
        .await?
        .ok_or_else(|| AppError::field("email", "Nobody has that e-mail address."))?;
    if access.watchers.contains(&user) {
        return Err(AppError::field("email", "They already watch it."));
    }
    let mut tx = store.begin().await?;
    Store::add_watcher(&mut tx, record.id, user).await?;
    for event in
        NewEvent::changes(Some(actor.id), now, &[(EventField::Watcher, None, Some(user.to_string()))])
    {
        Store::append_event(&mut tx, record.id, &event).await?;
    }
    Store::notify(&mut tx, user, record.id, &format!("{} added you as a watcher", actor.name), now).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes `user` from the record's watchers.
pub async fn unwatch(
    store: &Store,
    actor: &CurrentUser,
    number: &str,
    user: crate::domain::ids::UserId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (record, _) = authorize_record(store, actor, number, Action::UpdateRecord).await?;
    let mut tx = store.begin().await?;
    if !Store::remove_watcher(&mut tx, record.id, user).await? {
        return Err(AppError::NotFound("That watcher".into()));
    }
    for event in
        NewEvent::changes(Some(actor.id), now, &[(EventField::Watcher, Some(user.to_string()), None)])
    {
        Store::append_event(&mut tx, record.id, &event).await?;
    }
    tx.commit().await?;
    Ok(())
}
