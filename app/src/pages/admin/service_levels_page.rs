//! Admins: the business calendars and the service-level policies, in the order policies are
//! tried: a record takes the first active one whose conditions it meets.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

use crate::api::sla_admin::{MovePolicy, ServiceLevels, load_service_levels};
use crate::components::erased::Erase;
use crate::components::form_status::saved_version;
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::pages::admin::catalog_page::up_and_down;

#[component]
pub fn ServiceLevelsPage() -> impl IntoView {
    let move_policy = FormAction::<MovePolicy>::new();
    let moved = saved_version(move_policy);
    let levels = resource(move || moved.get(), |_| load_service_levels());
    view! {
        <Title text="Service levels" />
        <header class="page-header">
            <h1>"Service levels"</h1>
            <p class="muted">"Calendars say when the clock counts; policies say which records get which targets."</p>
        </header>
        {loaded(levels, move |levels| view! { <Lists levels move_policy /> })}
    }
}

#[component]
fn Lists(levels: ServiceLevels, move_policy: FormAction<MovePolicy>) -> impl IntoView {
    let ServiceLevels { calendars, policies } = levels;
    view! {
        <section class="panel" aria-labelledby="policies-heading">
            <header class="panel__header">
                <h2 id="policies-heading">"Policies"</h2>
                <A href="/admin/service-levels/policies/new" attr:class="button button--primary">"Add a policy"</A>
            </header>
            <p class="field__hint">"Tried from the top: a record takes the first active policy it matches."</p>
            {if policies.is_empty() {
                view! { <p class="empty-state">"No policies yet: records run no clocks."</p> }.erase()
            } else {
                view! {
                    <ol class="list">
                        {policies
                            .into_iter()
                            .map(|policy| {
                                let moves = up_and_down(&policy.name);
                                let (key, name) = (policy.name.clone(), policy.name.clone());
                                view! {
                                    <li class="list__item list__item--row" data-policy=key>
                                        <span>
                                            <A href=format!("/admin/service-levels/policies/{}", policy.id)>
                                                {name}
                                            </A>
                                            {(!policy.active).then(|| view! { " " <span class="badge badge--neutral">"Inactive"</span> })}
                                            <br />
                                            <span class="muted">{format!("{} · on {}", policy.targets, policy.calendar)}</span>
                                        </span>
                                        <ServerForm action=move_policy attr:class="actions">
                                            <input type="hidden" name="id" value=policy.id.to_string() />
                                            {moves}
                                        </ServerForm>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                }
                    .erase()
            }}
        </section>
        <section class="panel" aria-labelledby="calendars-heading">
            <header class="panel__header">
                <h2 id="calendars-heading">"Calendars"</h2>
                <A href="/admin/service-levels/calendars/new" attr:class="button">"Add a calendar"</A>
            </header>
            <ul class="list">
                {calendars
                    .into_iter()
                    .map(|calendar| {
                        let key = calendar.name.clone();
                        view! {
                            <li class="list__item" data-calendar=key>
                                <A href=format!("/admin/service-levels/calendars/{}", calendar.id)>{calendar.name}</A>
                                <br />
                                <span class="muted">{format!("{} · {}", calendar.hours, calendar.time_zone)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .erase()
}
