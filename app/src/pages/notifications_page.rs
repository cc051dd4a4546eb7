//! Notifications: approvals needed, decisions, replies from the desk, fulfilment.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::notifications::{MarkNotificationsRead, my_notifications};
use crate::components::erased::Erase;
use crate::components::form_status::saved_version;
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::context::{InboxRead, use_zone};
use crate::fmt;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let zone = use_zone();
    let mark = FormAction::<MarkNotificationsRead>::new();
    let marked = saved_version(mark);
    let inbox = resource(move || marked.get(), |_| my_notifications());
    Effect::new(move |_| {
        if marked.get() > 0
            && let Some(InboxRead(read)) = use_context::<InboxRead>()
        {
            read.update(|n| *n += 1);
        }
    });
    view! {
        <Title text="Notifications" />
        <header class="page-header page-header--actions">
            <div>
                <h1>"Notifications"</h1>
                <p class="muted">"What happened to your requests and what waits for you."</p>
            </div>
            <ServerForm action=mark>
                <button type="submit" class="button">"Mark all as read"</button>
            </ServerForm>
        </header>
        {loaded(
            inbox,
            move |inbox| {
                if inbox.items.is_empty() {
                    view! { <p class="empty-state">"Nothing yet. Approvals, decisions and replies show up here."</p> }
                        .erase()
                } else {
                    view! {
                        <ul class="list notifications">
                            {inbox
                                .items
                                .into_iter()
                                .map(|n| {
                                    view! {
                                        <li class="list__item" class:notification--unread=!n.read>
                                            <A href=format!("/records/{}", n.number)>{n.text}</A>
                                            <p class="muted">
                                                <time datetime=fmt::iso(n.created_at)>{zone.date_time(n.created_at)}</time>
                                                {(!n.read).then_some(" · new")}
                                            </p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .erase()
                }
            },
        )}
    }
}
