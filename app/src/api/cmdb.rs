//! The CMDB: searching CIs, a CI's page, saving CIs and relating them, naming CIs on
//! records, and a requester's own devices.

use leptos::prelude::*;

use crate::domain::ci_graph::CiNode;
use crate::domain::cmdb::{CiEditor, CiPage};
use crate::domain::ids::CiId;
#[cfg(feature = "ssr")]
use crate::domain::policy::Action;
use crate::error::AppError;

/// CIs whose name starts with `q`, of class `class` (a code, with its subclasses).
#[server(endpoint = "search_cis")]
pub async fn search_cis(q: Option<String>, class: Option<String>) -> Result<Vec<CiNode>, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::ReadCmdb)?;
    service::cmdb::search(&state()?.store, q.as_deref().unwrap_or(""), class.as_deref()).await
}

/// Every CI class, for the search's filter and the form's choice, and whether the viewer
/// may add CIs.
#[server(endpoint = "list_ci_classes")]
pub async fn list_ci_classes() -> Result<(Vec<crate::domain::cmdb::CiClass>, bool), AppError> {
    use crate::domain::policy::{Target, allows};
    use crate::ssr::{authorize, state};
    let user = authorize(Action::ReadCmdb)?;
    let can_edit = allows(&user, Action::ManageCmdb, Target::Portal);
    Ok((crate::ssr::service::cmdb::classes(&state()?.store).await?, can_edit))
}

/// Every CI class, retired ones too, for the admins who keep them.
#[server(endpoint = "admin_ci_classes")]
pub async fn admin_ci_classes() -> Result<Vec<crate::domain::cmdb::CiClass>, AppError> {
    use crate::ssr::{authorize, state};
    authorize(Action::ManageCmdb)?;
    crate::ssr::service::cmdb::classes(&state()?.store).await
}

/// The signed-in person's own devices.
#[server(endpoint = "my_devices")]
pub async fn my_devices() -> Result<Vec<CiNode>, AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::cmdb::my_devices(&state()?.store, &user).await
}

/// The services the portal lists, worst first, with how each is doing.
#[server(endpoint = "service_status")]
pub async fn service_status() -> Result<Vec<crate::domain::cmdb::ServiceStatus>, AppError> {
    use crate::ssr::{authorize, service, state};
    authorize(Action::UsePortal)?;
    service::cmdb::status_page(&state()?.store).await
}

/// CI `id`'s page, its neighbourhood drawn `depth` steps out, its relations listed from the
/// `relations`th on.
#[server(endpoint = "get_ci")]
pub async fn get_ci(id: CiId, depth: Option<u32>, relations: Option<i64>) -> Result<CiPage, AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    let depth = depth.unwrap_or(service::cmdb::DEFAULT_DEPTH);
    service::cmdb::ci_page(&state()?.store, &user, id, depth, relations.unwrap_or(0)).await
}

/// The CI form: CI `id`, or a new CI of class `class` (a code).
#[server(endpoint = "ci_editor")]
pub async fn load_ci_editor(id: Option<CiId>, class: Option<String>) -> Result<CiEditor, AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::ManageCmdb)?;
    service::cmdb::editor(&state()?.store, &user, id, class.as_deref(), chrono::Utc::now().date_naive()).await
}

/// Creates (no `id`, then shows its page) or updates a CI.
#[server(endpoint = "save_ci")]
pub async fn save_ci(
    id: Option<CiId>,
    version: Option<i64>,
    class: Option<String>,
    name: String,
    status: String,
    criticality: String,
    location: Option<String>,
    owner: Option<String>,
    support_group: Option<String>,
    answers: Option<std::collections::BTreeMap<String, Vec<String>>>,
) -> Result<CiId, AppError> {
    use crate::domain::cmdb::CiInput;
    use crate::ssr::service::cmdb::{CiForm, save_ci};
    use crate::ssr::{authorize, state};
    let user = authorize(Action::ManageCmdb)?;
    let input = CiInput {
        name,
        status,
        criticality,
        location: location.unwrap_or_default(),
        owner: None,
        support_group: None,
        attributes: answers.unwrap_or_default(),
    };
    let form = CiForm {
        id,
        version: version.unwrap_or(0),
        class: class.as_deref().unwrap_or(""),
        input,
        owner_email: owner.as_deref().unwrap_or(""),
        support_group: support_group.as_deref().unwrap_or(""),
    };
    let saved = save_ci(&state()?.store, &user, form, chrono::Utc::now()).await?;
    if id.is_none() {
        leptos_axum::redirect(&format!("/cmdb/{saved}"));
    }
    Ok(saved)
}

/// Relates CI `id` to another: `kind` as read from `id` ("runs_on", or "runs_on.inverse"
/// for "hosts"); the other CI picked from the search (`other_id`) or named (`other`).
#[server(endpoint = "relate_ci")]
pub async fn relate_ci(
    id: CiId,
    kind: String,
    other: Option<String>,
    other_id: Option<CiId>,
) -> Result<(), AppError> {
    use crate::ssr::service::cmdb::{RelationForm, relate};
    use crate::ssr::{authorize, state};
    let user = authorize(Action::ManageCmdb)?;
    let form = RelationForm { id, kind: &kind, other: other_id, other_name: other.as_deref().unwrap_or("") };
    relate(&state()?.store, &user, form, chrono::Utc::now()).await.map(|_| ())
}

/// Removes the relation "from kind to".
#[server(endpoint = "unrelate_ci")]
pub async fn unrelate_ci(from: CiId, kind: String, to: CiId) -> Result<(), AppError> {
    use crate::domain::cmdb::{Edge, RelationKind};
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::ManageCmdb)?;
    let kind = RelationKind::parse(&kind).ok_or_else(|| AppError::NotFound("That relation".into()))?;
    service::cmdb::unrelate(&state()?.store, &user, Edge { from, to, kind }, chrono::Utc::now()).await
}

/// Names a CI on record `number` as affected: picked from the search (`ci_id`) or named (`ci`).
#[server(endpoint = "link_record_ci")]
pub async fn link_record_ci(number: String, ci: Option<String>, ci_id: Option<CiId>) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    let store = state()?.store;
    service::cmdb::link_record(&store, &user, &number, ci_id, ci.as_deref().unwrap_or(""), chrono::Utc::now())
        .await
}

/// Takes CI `ci` off record `number`.
#[server(endpoint = "unlink_record_ci")]
pub async fn unlink_record_ci(number: String, ci: CiId) -> Result<(), AppError> {
    use crate::ssr::{authorize, service, state};
    let user = authorize(Action::UsePortal)?;
    service::cmdb::unlink_record(&state()?.store, &user, &number, ci, chrono::Utc::now()).await
}

/// Adds (no `id`, then shows the class list) or changes a CI class; `attributes` is the
/// editor's schema as JSON, `parent` a class code.
#[server(endpoint = "save_ci_class")]
pub async fn save_ci_class(
    id: Option<crate::domain::ids::CiClassId>,
    code: Option<String>,
    name: String,
    parent: Option<String>,
    description: Option<String>,
    retired: Option<String>,
    attributes: String,
) -> Result<crate::domain::ids::CiClassId, AppError> {
    use crate::ssr::service::cmdb::{ClassForm, save_class};
    use crate::ssr::{authorize, state};
    authorize(Action::ManageCmdb)?;
    let form = ClassForm {
        id,
        code: code.as_deref().unwrap_or(""),
        name: &name,
        parent: parent.as_deref().unwrap_or(""),
        description: description.as_deref().unwrap_or(""),
        retired: retired.is_some(),
        attributes: &attributes,
    };
    let saved = save_class(&state()?.store, form).await?;
    if id.is_none() {
        leptos_axum::redirect(&format!("/admin/classes/{saved}"));
    }
    Ok(saved)
}

/// Checks, and when `save` is given saves, one batch of a CSV file of CIs or relations
/// (`kind`); `first_row` rows of the file came before it. `valid_only` keeps the valid rows
/// when some fail; otherwise a failing row keeps the whole batch out.
#[server(endpoint = "import_cmdb")]
pub async fn import_cmdb(
    kind: String,
    csv: String,
    first_row: Option<usize>,
    save: Option<bool>,
    valid_only: Option<bool>,
) -> Result<crate::domain::cmdb_csv::ImportReport, AppError> {
    use crate::domain::cmdb_csv::ImportKind;
    use crate::ssr::service::cmdb_csv::{ImportForm, import};
    use crate::ssr::{authorize, state};
    let user = authorize(Action::ManageCmdb)?;
    let kind = ImportKind::parse(&kind).ok_or_else(|| AppError::field("kind", "Say what the file holds."))?;
    let form = ImportForm {
        kind,
        text: &csv,
        first_row: first_row.unwrap_or(0),
        save: save.unwrap_or(false),
        valid_only: valid_only.unwrap_or(false),
    };
    import(&state()?.store, &user, form, chrono::Utc::now()).await
}
