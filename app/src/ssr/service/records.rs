//! Creating and moving work records.

use crate::domain::event::NewEvent;
use crate::domain::ids::RecordId;
use crate::domain::record::{RecordNumber, RecordState};
use crate::ssr::store::{NewRecord, Store, StoreError};

/// Opens a record and appends its history, all or nothing.
pub async fn create_record(
    store: &Store,
    record: &NewRecord,
    history: &[NewEvent],
) -> Result<(RecordId, RecordNumber), StoreError> {
    let mut tx = store.begin().await?;
    let (id, number) = Store::insert_record(&mut tx, record).await?;
    for event in history {
        if let (Some("state"), Some(to)) = (event.field, event.to_value.as_deref())
            && let Some(state) = RecordState::parse(to)
        {
            Store::update_record_state(&mut tx, id, state, event.at).await?;
        }
        Store::append_event(&mut tx, id, event).await?;
    }
    tx.commit().await?;
    Ok((id, number))
}
