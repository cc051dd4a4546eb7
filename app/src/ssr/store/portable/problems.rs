//! Problems: each one's analysis, and the known errors among them.

use chrono::{DateTime, Utc};

use crate::domain::ids::RecordId;
use crate::domain::problem::{Analysis, CauseCode, KnownError};
use crate::ssr::store::StoreError;

#[derive(sqlx::FromRow)]
struct AnalysisRow {
    root_cause: String,
    cause_code: Option<CauseCode>,
    workaround: String,
    fix: String,
    known_error_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct KnownErrorRow {
    id: RecordId,
    number: String,
    title: String,
    category: String,
    workaround: String,
    known_error_at: DateTime<Utc>,
}

on_both_backends! {
    /// Problem `record`'s analysis, and since when it is a known error; `None` before
    /// anything was recorded.
    pub async fn problem_analysis(
        &self,
        record: RecordId,
    ) -> Result<Option<(Analysis, Option<DateTime<Utc>>)>, StoreError> {
        let row: Option<AnalysisRow> = sqlx::query_as(
            "SELECT root_cause, cause_code, workaround, fix, known_error_at FROM problem_analyses
             WHERE record_id = $1",
        )
        .bind(record)
        .fetch_optional(&mut *self.reader().await?)
        .await?;
        Ok(row.map(|r| {
            let analysis =
                Analysis { root_cause: r.root_cause, cause_code: r.cause_code, workaround: r.workaround, fix: r.fix };
            (analysis, r.known_error_at)
        }))
    }

    /// Records problem `record`'s analysis, in place of what it held.
    pub async fn save_problem_analysis(
        tx: &mut Tx,
        record: RecordId,
        analysis: &Analysis,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO problem_analyses (record_id, root_cause, cause_code, workaround, fix, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (record_id) DO UPDATE SET root_cause = excluded.root_cause,
                 cause_code = excluded.cause_code, workaround = excluded.workaround, fix = excluded.fix,
                 updated_at = excluded.updated_at",
        )
        .bind(record)
        .bind(&analysis.root_cause)
        .bind(analysis.cause_code)
        .bind(&analysis.workaround)
        .bind(&analysis.fix)
        .bind(now)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Publishes problem `record` as a known error from `at`, or withdraws it (`None`);
    /// `false` when it has no analysis with a workaround to publish.
    pub async fn set_known_error(
        tx: &mut Tx,
        record: RecordId,
        at: Option<DateTime<Utc>>,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE problem_analyses SET known_error_at = $2
             WHERE record_id = $1 AND (workaround <> '' OR $2 IS NULL)",
        )
        .bind(record)
        .bind(at)
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// The known errors, latest published first, at most `limit`.
    pub async fn known_errors(&self, limit: i64) -> Result<Vec<KnownError>, StoreError> {
        let rows: Vec<KnownErrorRow> = sqlx::query_as(
            "SELECT r.id, r.number, r.title, r.category, a.workaround, a.known_error_at
             FROM problem_analyses a JOIN records r ON r.id = a.record_id
             WHERE a.known_error_at IS NOT NULL
             ORDER BY a.known_error_at DESC, a.record_id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&mut *self.reader().await?)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| KnownError {
                problem: r.id,
                number: r.number,
                title: r.title,
                category: r.category,
                workaround: r.workaround,
                published_at: r.known_error_at,
            })
            .collect())
    }
}
