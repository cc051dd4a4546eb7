//! My approvals: requests waiting for the signed-in person's decision, with their answers.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::approvals::{DecideApproval, list_my_approvals};
use crate::components::erased::Erase;
use crate::components::form_status::{failure, field_error, saved_version};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::context::use_zone;
use crate::domain::approval::PendingApproval;
use crate::fmt;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let decide = FormAction::<DecideApproval>::new();
    let decided = saved_version(decide);
    let pending = resource(move || decided.get(), |_| list_my_approvals());
    // Which card was sent last, so only that one shows the answer.
    let last = RwSignal::new(None::<i64>);
    view! {
        <Title text="My approvals" />
        <header class="page-header">
            <h1>"My approvals"</h1>
            <p class="muted">"Requests waiting for your decision, oldest first."</p>
        </header>
        {loaded(
            pending,
            move |pending| {
                if pending.is_empty() {
                    view! {
                        <section class="empty-state">
                            <h2>"Nothing to approve"</h2>
                            <p>"When someone's request needs your approval, it shows up here."</p>
                        </section>
                    }
                        .erase()
                } else {
                    view! {
                        <ul class="list">
                            {pending.into_iter().map(|p| view! { <ApprovalCard pending=p decide last /> }).collect_view()}
                        </ul>
                    }
                        .erase()
                }
            },
        )}
    }
}

#[component]
fn ApprovalCard(
    pending: PendingApproval,
    decide: FormAction<DecideApproval>,
    last: RwSignal<Option<i64>>,
) -> impl IntoView {
    let zone = use_zone();
    let failure = failure(decide);
    let comment_id = format!("comment-{}", pending.approval_id);
    let error_id = format!("{comment_id}-error");
    // Only this card's failure is shown beside its comment.
    let id = pending.approval_id;
    let mine = Signal::derive(move || last.get() == Some(id));
    let error = field_error(failure, "comment");
    let shown_error = move || if mine.get() { error.get() } else { None };
    let other_error = move || match failure.get() {
        Some(crate::error::AppError::Invalid(_)) | None => None,
        Some(other) => mine.get().then(|| other.to_string()),
    };
    view! {
        <li class="list__item approval-card">
            <p class="eyebrow records__number">{pending.number.clone()}</p>
            <h2>
                <A href=format!("/records/{}", pending.number)>{pending.title}</A>
            </h2>
            <p class="muted">
                {format!("For {} · asked ", pending.requester_name)}
                <time datetime=fmt::iso(pending.asked_at)>{zone.date_time(pending.asked_at)}</time>
            </p>
            {(!pending.answers.is_empty())
                .then(|| {
                    view! {
                        <dl class="facts facts--stacked">
                            {pending
                                .answers
                                .into_iter()
                                .map(|(q, a)| view! { <div><dt>{q}</dt><dd>{a}</dd></div> })
                                .collect_view()}
                        </dl>
                    }
                })}
            <ServerForm action=decide attr:class="form" on:submit=move |_| last.set(Some(id))>
                <input type="hidden" name="id" value=id.to_string() />
                <div class="field" class:field--invalid=move || shown_error().is_some()>
                    <label for=comment_id.clone()>"Comment"</label>
                    <p class="field__hint">"Needed when you reject: the requester reads it."</p>
                    <textarea id=comment_id.clone() name="comment" rows="2" maxlength="2000" aria-describedby=error_id.clone()></textarea>
                    <p id=error_id class="field__error">{shown_error}</p>
                </div>
                {move || other_error().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
                <div class="actions">
                    <button type="submit" name="decision" value="approved" class="button button--primary">"Approve"</button>
                    <button type="submit" name="decision" value="rejected" class="button button--danger">"Reject"</button>
                </div>
            </ServerForm>
        </li>
    }
}
