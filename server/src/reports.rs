//! Reports as files, for a spreadsheet: the service-level attainment report and a CMDB
//! class's CIs, as CSV.

use axum::extract::{Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use app::domain::policy::{Action, Target, allows};
use app::error::AppError;
use app::ssr::AppState;
use app::ssr::auth::SignedIn;

#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /reports/service-levels.csv?from=2026-11-01&to=2026-11-30`: the same table as the
/// report page. Agents only; a period that makes no sense is a 400 naming the field.
pub async fn attainment_csv(
    State(state): State<AppState>,
    Query(period): Query<PeriodQuery>,
    request: Request,
) -> Response {
    let signed_in = request.extensions().get::<SignedIn>().cloned().unwrap_or_default();
    let Some(actor) = signed_in.user else { return AppError::Unauthenticated.into_response() };
    if !allows(&actor, Action::WorkQueue, Target::Portal) {
        return AppError::Forbidden.into_response();
    }
    let (from, to) = (period.from.unwrap_or_default(), period.to.unwrap_or_default());
    match app::ssr::service::sla::attainment(&state.store, &from, &to, chrono::Utc::now()).await {
        Ok(report) => {
            let name = format!(
                "attachment; filename=\"service-levels-{}-to-{}.csv\"",
                report.period.from, report.period.to
            );
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, name),
                ],
                report.csv(),
            )
                .into_response()
        }
        Err(error) => error.into_response(),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ClassQuery {
    class: Option<String>,
}

/// `GET /cmdb/export.csv?class=laptop`: every CI of the class and its subclasses, in the
/// columns an import reads. Agents only; an unknown class is a 400 naming the field.
pub async fn cis_csv(
    State(state): State<AppState>,
    Query(query): Query<ClassQuery>,
    request: Request,
) -> Response {
    let signed_in = request.extensions().get::<SignedIn>().cloned().unwrap_or_default();
    let Some(actor) = signed_in.user else { return AppError::Unauthenticated.into_response() };
    if !allows(&actor, Action::ReadCmdb, Target::Portal) {
        return AppError::Forbidden.into_response();
    }
    let class = query.class.unwrap_or_default();
    match app::ssr::service::cmdb_csv::export(&state.store, &class).await {
        Ok(csv) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"cmdb-{class}.csv\"")),
            ],
            csv,
        )
            .into_response(),
        Err(error) => error.into_response(),
    }
}
