//! On a record page: the configuration items it names as affected and, for agents, the
//! business services their outage reaches, with a search to name another.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::cmdb::{LinkRecordCi, UnlinkRecordCi};
use crate::components::ci_picker::CiPicker;
use crate::components::erased::Erase;
use crate::components::form_status::{FormStatus, failure, field_error, succeeded};
use crate::components::server_form::{FormAction, ServerForm};
use crate::domain::ci_graph::CiNode;
use crate::domain::cmdb::ImpactedService;
use crate::pages::cmdb::CiStatusBadge;
use crate::pages::cmdb::ci_page::ImpactedServices;

#[component]
pub fn RecordCis(
    number: String,
    cis: Vec<CiNode>,
    impacted: Vec<ImpactedService>,
    may_update: bool,
    link_ci: FormAction<LinkRecordCi>,
    unlink_ci: FormAction<UnlinkRecordCi>,
) -> impl IntoView {
    let failed = failure(link_ci);
    let unlink_failed = failure(unlink_ci);
    let this = number.clone();
    let list = if cis.is_empty() {
        view! { <p class="muted">"No configuration item is named yet."</p> }.erase()
    } else {
        view! {
            <ul class="list">
                {cis
                    .into_iter()
                    .map(|ci| {
                        let here = this.clone();
                        let remove = format!("Take {} off this record", ci.name);
                        view! {
                            <li class="list__item link-row">
                                <A href=format!("/cmdb/{}", ci.id)>{ci.name.clone()}</A>
                                <span class="muted">{format!(" · {}", ci.class_name)}</span>
                                " "
                                <CiStatusBadge status=ci.status />
                                {may_update
                                    .then(|| {
                                        view! {
                                            <ServerForm action=unlink_ci attr:class="link-row__remove">
                                                <input type="hidden" name="number" value=here />
                                                <input type="hidden" name="ci" value=ci.id.0.to_string() />
                                                <button type="submit" class="button button--quiet" aria-label=remove>"Remove"</button>
                                            </ServerForm>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .erase()
    };
    view! {
        <section class="panel record-cis" aria-labelledby="record-cis-heading">
            <h2 id="record-cis-heading">"Configuration items"</h2>
            {list}
            <FormStatus failure=unlink_failed succeeded=Signal::derive(|| false) saved="" />
            {(may_update && !impacted.is_empty())
                .then(|| {
                    view! {
                        <h3>"Services impacted"</h3>
                        <ImpactedServices services=impacted />
                    }
                })}
            {may_update
                .then(|| {
                    view! {
                        <ServerForm action=link_ci attr:class="form link-ci-form" attr:novalidate=true>
                            <input type="hidden" name="number" value=number />
                            <CiPicker name="ci" label="Name an affected CI" error=field_error(failed, "ci") />
                            <FormStatus failure=failed succeeded=succeeded(link_ci) saved="Added." />
                            <button type="submit" class="button">"Add CI"</button>
                        </ServerForm>
                    }
                })}
        </section>
    }
}
