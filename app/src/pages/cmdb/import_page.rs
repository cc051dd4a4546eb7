//! Admins: CIs or relations from a CSV file. The file is checked first, in batches with
//! progress shown, every failing row listed with its column; then imported whole, or only
//! its valid rows when the admin chooses that.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::cmdb::{admin_ci_classes, import_cmdb};
use crate::components::loaded::{loaded, resource};
use crate::domain::cmdb_csv::{BATCH_ROWS, ImportReport, batches, records};

/// Where a run is.
#[derive(Clone, Debug, PartialEq)]
enum Run {
    Idle,
    Going { done: usize, total: usize, saving: bool },
    Done(ImportReport),
    Failed(String),
}

fn rows(n: usize) -> String {
    if n == 1 { "1 row".to_owned() } else { format!("{n} rows") }
}

/// The file input's first file as text.
#[cfg(feature = "hydrate")]
async fn file_text(input: &leptos::web_sys::HtmlInputElement) -> Option<String> {
    let file = input.files()?.get(0)?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.ok()?;
    text.as_string()
}

#[cfg(not(feature = "hydrate"))]
async fn file_text(_input: &leptos::web_sys::HtmlInputElement) -> Option<String> {
    None
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let kind = RwSignal::new("cis".to_owned());
    let valid_only = RwSignal::new(false);
    let pasted = RwSignal::new(String::new());
    let run = RwSignal::new(Run::Idle);
    let file = NodeRef::<leptos::html::Input>::new();
    let go = move |save: bool| {
        let input = file.get_untracked();
        leptos::task::spawn_local(async move {
            let text = match input {
                Some(input) => file_text(&input).await,
                None => None,
            };
            let text = text.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| pasted.get_untracked());
            let parts = batches(&text, BATCH_ROWS);
            if parts.is_empty() {
                run.set(Run::Failed(
                    "Choose a CSV file, or paste one, with a header line and at least one row.".into(),
                ));
                return;
            }
            let total = records(&text).len().saturating_sub(1);
            let mut report = ImportReport::default();
            for (first_row, batch) in parts {
                run.set(Run::Going { done: first_row, total, saving: save });
                let answer = import_cmdb(
                    kind.get_untracked(),
                    batch,
                    Some(first_row),
                    Some(save),
                    Some(valid_only.get_untracked()),
                )
                .await;
                match answer {
                    Ok(batch) => report.absorb(batch),
                    Err(error) => {
                        let message = error.field_message("csv").unwrap_or_else(|| error.to_string());
                        run.set(Run::Failed(message));
                        return;
                    }
                }
            }
            run.set(Run::Done(report));
        });
    };
    let busy = move || matches!(run.get(), Run::Going { .. });
    let classes = resource(|| (), |_| admin_ci_classes());
    view! {
        <Title text="Import CIs" />
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/cmdb">"Configuration items"</A>
        </nav>
        <header class="page-header">
            <h1>"Import from CSV"</h1>
            <p class="muted">
                "A CI file has the columns class, name, status, criticality, location, owner (an e-mail address) and support_group, then any attributes by their keys; a row whose class and name exist updates that CI. A relations file has from, kind and to, with from_class and to_class where names repeat. An export of a class is a file to start from."
            </p>
        </header>
        {loaded(classes, |classes| view! {
            <form method="get" action="/cmdb/export.csv" class="form--inline export-form">
                <label for="export-class">"Export the CIs of class"</label>
                <select id="export-class" name="class">
                    {classes.into_iter().map(|c| view! { <option value=c.code.clone()>{c.name.clone()}</option> }).collect_view()}
                </select>
                <button type="submit" class="button">"Download CSV"</button>
            </form>
        })}
        <div class="form import-form">
            <fieldset class="choice">
                <legend>"The file holds"</legend>
                <label class="check">
                    <input type="radio" name="kind" value="cis" checked on:change=move |_| kind.set("cis".into()) />
                    " Configuration items"
                </label>
                <label class="check">
                    <input type="radio" name="kind" value="relations" on:change=move |_| kind.set("relations".into()) />
                    " Relations between them"
                </label>
            </fieldset>
            <div class="field">
                <label for="import-file">"CSV file"</label>
                <input id="import-file" type="file" accept=".csv,text/csv" node_ref=file />
            </div>
            <div class="field">
                <label for="import-text">"Or paste it here"</label>
                <textarea id="import-text" rows="5" on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
            </div>
            <fieldset class="choice">
                <legend>"If some rows fail"</legend>
                <label class="check">
                    <input type="radio" name="mode" checked on:change=move |_| valid_only.set(false) />
                    " Import nothing until every row is right"
                </label>
                <label class="check">
                    <input type="radio" name="mode" on:change=move |_| valid_only.set(true) />
                    " Import the valid rows and list the others"
                </label>
            </fieldset>
            <div class="actions">
                <button type="button" class="button" disabled=busy on:click=move |_| go(false)>"Check file"</button>
                <button type="button" class="button button--primary" disabled=busy on:click=move |_| go(true)>"Import"</button>
            </div>
        </div>
        <div class="import-result" aria-live="polite">
            {move || match run.get() {
                Run::Idle => ().into_any(),
                Run::Going { done, total, saving } => view! {
                    <p>{if saving { "Importing… " } else { "Checking… " }} {format!("{done} of {total} rows")}</p>
                    <progress max=total.to_string() value=done.to_string()></progress>
                }
                .into_any(),
                Run::Failed(message) => view! { <p class="form-error" role="alert">{message}</p> }.into_any(),
                Run::Done(report) => view! { <Report report /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let summary = if report.saved {
        format!(
            "Imported: {} added, {} updated, {} already as the file says.",
            report.created, report.updated, report.unchanged
        )
    } else if report.failed_rows == 0 {
        format!(
            "All {} are right: {} to add, {} to update. Nothing is saved yet.",
            rows(report.rows),
            report.created,
            report.updated
        )
    } else {
        format!("{} of {} failed. Nothing is saved.", rows(report.failed_rows), rows(report.rows))
    };
    let skipped = (report.saved && report.failed_rows > 0)
        .then(|| view! { <p>{format!("{} skipped, listed below.", rows(report.failed_rows))}</p> });
    view! {
        <p class="import-summary" role="status">{summary}</p>
        {skipped}
        {(!report.problems.is_empty()).then(|| view! {
            <table class="records import-problems">
                <caption>"Rows that failed"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Row"</th>
                        <th scope="col">"Column"</th>
                        <th scope="col">"What is wrong"</th>
                    </tr>
                </thead>
                <tbody>
                    {report.problems.into_iter().map(|p| view! {
                        <tr>
                            <td data-label="Row">{p.row}</td>
                            <td data-label="Column">{p.column}</td>
                            <td data-label="What is wrong">{p.message}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}
