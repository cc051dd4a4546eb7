//! One configuration item: its fields, its relations from both ends, its neighbourhood
//! drawn, what an outage of it would reach, the records that name it, and its history.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::cmdb::{RelateCi, UnrelateCi, get_ci};
use crate::components::ci_picker::CiPicker;
use crate::components::erased::Erase;
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::record_table::RecordTable;
use crate::components::server_form::{FormAction, ServerForm};
use crate::context::use_zone;
use crate::domain::ci_graph::Hop;
use crate::domain::cmdb::{
    CiPage, ImpactView, Promise, RELATIONS_PAGE, RelationKind, RelationView, ServiceLevels, history_label,
    history_value,
};
use crate::domain::form::{Answer, display_answer};
use crate::domain::ids::CiId;
use crate::domain::sla::duration_text;
use crate::error::AppError;
use crate::fmt;
use crate::pages::cmdb::ci_graph_view::CiGraphView;
use crate::pages::cmdb::{CiStatusBadge, ServiceHealthBadge};

#[component]
pub fn CiDetailPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let relate = FormAction::<RelateCi>::new();
    let unrelate = FormAction::<UnrelateCi>::new();
    let (related, unrelated) = (saved_version(relate), saved_version(unrelate));
    let page = resource(
        move || {
            let id = params.read().get("id").unwrap_or_default();
            let depth = query.read().get("depth").and_then(|d| d.parse::<u32>().ok());
            let from = query.read().get("relations").and_then(|d| d.parse::<i64>().ok());
            (id, depth, from, related.get(), unrelated.get())
        },
        |(id, depth, from, ..)| async move {
            match id.parse() {
                Ok(id) => get_ci(CiId(id), depth, from).await,
                Err(_) => Err(AppError::NotFound("That configuration item".into())),
            }
        },
    );
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <A href="/cmdb">"Configuration items"</A>
        </nav>
        {loaded(page, move |page| view! { <CiView page relate unrelate /> })}
    }
}

#[component]
fn CiView(page: CiPage, relate: FormAction<RelateCi>, unrelate: FormAction<UnrelateCi>) -> impl IntoView {
    let zone = use_zone();
    let CiPage {
        ci,
        mut schema,
        retired,
        relations,
        relations_from,
        relations_total,
        graph,
        depth,
        impact,
        records,
        history,
        can_edit,
        full,
        health,
        references,
        levels,
    } = page;
    let id = ci.id;
    let in_use = schema.fields.len();
    schema.fields.extend(retired.fields);
    let facts = schema
        .fields
        .iter()
        .enumerate()
        .filter_map(|(n, field)| {
            let answer = ci.attributes.get(&field.key)?;
            let text = display_answer(field, answer, &references);
            let value = match answer {
                Answer::Ci(other) if references.ci(*other).is_some() => {
                    view! { <A href=format!("/cmdb/{other}")>{text}</A> }.erase()
                }
                _ => text.erase(),
            };
            let retired =
                (n >= in_use).then(|| view! { " " <span class="badge badge--neutral">"retired"</span> });
            Some(view! {
                <dt>{field.label.clone()}{retired}</dt>
                <dd>{value}</dd>
            })
        })
        .collect_view();
    let dash = |v: Option<String>| v.filter(|s| !s.is_empty()).unwrap_or_else(|| "—".to_owned());
    view! {
        <Title text=ci.name.clone() />
        <header class="page-header page-header--actions">
            <div>
                <p class="eyebrow">{ci.class_name.clone()}</p>
                <h1>{ci.name.clone()}</h1>
                <p class="record__badges">
                    <CiStatusBadge status=ci.status />
                    " "
                    <span class="badge badge--neutral">{format!("{} criticality", ci.criticality.label())}</span>
                    {health.map(|h| view! { " " <ServiceHealthBadge health=h /> })}
                </p>
            </div>
            {can_edit.then(|| view! { <A href=format!("/cmdb/{id}/edit") attr:class="button">"Edit"</A> })}
        </header>
        <div class="panels">
            <section class="panel" aria-labelledby="ci-facts-heading">
                <h2 id="ci-facts-heading">"Details"</h2>
                <dl class="facts">
                    <dt>"Owner"</dt>
                    <dd>{dash(ci.owner_name.clone())}</dd>
                    <dt>"Support group"</dt>
                    <dd>{dash(ci.support_group_name.clone())}</dd>
                    <dt>"Location"</dt>
                    <dd>{dash(Some(ci.location.clone()))}</dd>
                    {facts}
                    <dt>"Updated"</dt>
                    <dd>
                        <time datetime=fmt::iso(ci.updated_at)>{zone.date_time(ci.updated_at)}</time>
                    </dd>
                </dl>
            </section>
            {levels.map(|levels| view! { <ServiceLevelsPanel levels /> })}
            {full.then(|| view! { <Impact impact=impact.clone() /> })}
        </div>
        {full
            .then(|| {
                view! {
                    <section class="panel ci-relations" aria-labelledby="ci-relations-heading">
                        <h2 id="ci-relations-heading">"Relations"</h2>
                        <Relations id relations=relations.clone() can_edit unrelate />
                        <RelationPages id depth from=relations_from total=relations_total />
                        {can_edit.then(|| view! { <RelateForm id relate /> })}
                    </section>
                    <section class="panel" aria-labelledby="ci-graph-heading">
                        <div class="panel__header">
                            <h2 id="ci-graph-heading">"Neighbourhood"</h2>
                            <nav class="tabs" aria-label="How far to draw">
                                {(1..=3)
                                    .map(|d| {
                                        let current = (d == depth).then_some("page");
                                        let text = if d == 1 { "1 step".to_owned() } else { format!("{d} steps") };
                                        view! {
                                            <a class="tab" href=format!("/cmdb/{id}?depth={d}") aria-current=current>{text}</a>
                                        }
                                    })
                                    .collect_view()}
                            </nav>
                        </div>
                        <CiGraphView graph=graph.clone() centre=id />
                    </section>
                    <section class="panel" aria-labelledby="ci-records-heading">
                        <h2 id="ci-records-heading">"Records naming it"</h2>
                        {if records.is_empty() {
                            view! { <p class="muted">"No record names this CI."</p> }.erase()
                        } else {
                            view! { <RecordTable records=records.clone() caption="Records naming this CI" workload=true /> }
                                .erase()
                        }}
                    </section>
                    <section class="panel timeline" aria-labelledby="ci-history-heading">
                        <h2 id="ci-history-heading">"History"</h2>
                        <ol class="timeline__list">
                            {history
                                .iter()
                                .map(|e| {
                                    let label = history_label(&schema, &e.field);
                                    let value = |v: &Option<String>| {
                                        v.as_deref().map_or_else(|| "nothing".to_owned(), |v| history_value(&schema, &e.field, v))
                                    };
                                    let what = match (e.field.as_str(), &e.from, &e.to) {
                                        ("created", ..) => "created it".to_owned(),
                                        (f, None, Some(_)) if f.starts_with("relation.") => {
                                            format!("added {}: {}", label.to_lowercase(), value(&e.to))
                                        }
                                        (f, Some(_), None) if f.starts_with("relation.") => {
                                            format!("removed {}: {}", label.to_lowercase(), value(&e.from))
                                        }
                                        _ => format!("changed {} from {} to {}", label.to_lowercase(), value(&e.from), value(&e.to)),
                                    };
                                    view! {
                                        <li class="timeline__item">
                                            <p class="timeline__meta">
                                                <strong>{e.actor_name.clone().unwrap_or_else(|| "Switchboard".into())}</strong>
                                                " · "
                                                <time datetime=fmt::iso(e.at)>{zone.date_time(e.at)}</time>
                                            </p>
                                            <p>{what}</p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    </section>
                }
            })}
    }
}

/// "If this goes down": each business service reached, with the path that reaches it.
#[component]
pub fn Impact(impact: ImpactView) -> impl IntoView {
    let ImpactView { services, affected, reached, stopped, open_records } = impact;
    view! {
        <section class="panel impact" aria-labelledby="impact-heading">
            <h2 id="impact-heading">"If this goes down"</h2>
            {if services.is_empty() {
                view! { <p class="muted">"No business service depends on it."</p> }.erase()
            } else {
                view! {
                    <p>{affected_text(affected, services.len())}</p>
                    <ImpactedServices services />
                }
                    .erase()
            }}
            {stopped
                .then(|| {
                    view! {
                        <p class="notice notice--warn">
                            {format!("The analysis stopped after {reached} configuration items; there may be more.")}
                        </p>
                    }
                })}
            {(!open_records.is_empty())
                .then(|| {
                    view! {
                        <h3>"Open records already on it or these services"</h3>
                        <ul class="list">
                            {open_records
                                .into_iter()
                                .map(|r| {
                                    view! {
                                        <li class="list__item">
                                            <A href=format!("/records/{}", r.number)>{format!("{} {}", r.number, r.title)}</A>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
        </section>
    }
}

/// Services with the path from each down to what failed, and who is behind each.
#[component]
pub fn ImpactedServices(services: Vec<crate::domain::cmdb::ImpactedService>) -> impl IntoView {
    view! {
        <ul class="list impact__services">
            {services
                .into_iter()
                .map(|s| {
                    let people = [s.service.owner_name.clone().map(|o| format!("owner {o}")), s.service.support_group_name.clone().map(|g| format!("supported by {g}"))]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" · ");
                    view! {
                        <li class="list__item impact__service">
                            <A href=format!("/cmdb/{}", s.service.id)>{s.service.name.clone()}</A>
                            {(!people.is_empty()).then(|| view! { <span class="muted">{format!(" · {people}")}</span> })}
                            <Path hops=s.hops />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Path(hops: Vec<Hop>) -> impl IntoView {
    (!hops.is_empty()).then(|| {
        view! {
            <p class="impact__path">
                {hops
                    .into_iter()
                    .map(|h| {
                        view! {
                            <span class="impact__hop">
                                {format!(" {} ", h.label)}
                                <A href=format!("/cmdb/{}", h.to)>{h.to_name}</A>
                            </span>
                        }
                    })
                    .collect_view()}
            </p>
        }
    })
}

/// "3 business services affected:", or "419 … affected; the 50 nearest:".
fn affected_text(affected: usize, shown: usize) -> String {
    let services = if affected == 1 { "service" } else { "services" };
    if shown < affected {
        format!("{affected} business {services} affected; the {shown} nearest:")
    } else {
        format!("{affected} business {services} affected:")
    }
}

/// "Relations 51–100 of 415", with links to the pages before and after.
#[component]
fn RelationPages(id: CiId, depth: u32, from: i64, total: i64) -> impl IntoView {
    (total > RELATIONS_PAGE).then(|| {
        let to = (from + RELATIONS_PAGE).min(total);
        let at = move |from: i64| format!("/cmdb/{id}?depth={depth}&relations={from}#ci-relations-heading");
        view! {
            <nav class="pager" aria-label="Pages of relations">
                {(from > 0).then(|| view! { <A href=at(from - RELATIONS_PAGE)>"Previous"</A> })}
                <span class="muted">{format!("{}–{to} of {total}", from + 1)}</span>
                {(to < total).then(|| view! { <A href=at(to) attr:rel="next">"Next"</A> })}
            </nav>
        }
    })
}

#[component]
fn Relations(
    id: CiId,
    relations: Vec<RelationView>,
    can_edit: bool,
    unrelate: FormAction<UnrelateCi>,
) -> impl IntoView {
    if relations.is_empty() {
        return view! { <p class="muted">"It has no relations yet."</p> }.erase();
    }
    let failed = failure(unrelate);
    view! {
        <ul class="list">
            {relations
                .into_iter()
                .map(|r| {
                    let (from, to) = if r.outgoing { (id, r.other) } else { (r.other, id) };
                    let label = r.label();
                    let remove = format!("Remove “{label} {}”", r.other_name);
                    view! {
                        <li class="list__item link-row">
                            <span class="muted">{label}</span>
                            " "
                            <A href=format!("/cmdb/{}", r.other)>{r.other_name.clone()}</A>
                            <span class="muted">{format!(" · {}", r.other_class)}</span>
                            " "
                            <CiStatusBadge status=r.other_status />
                            {can_edit
                                .then(|| {
                                    view! {
                                        <ServerForm action=unrelate attr:class="link-row__remove">
                                            <input type="hidden" name="from" value=from.0.to_string() />
                                            <input type="hidden" name="kind" value=r.kind.as_str() />
                                            <input type="hidden" name="to" value=to.0.to_string() />
                                            <button type="submit" class="button button--quiet" aria-label=remove>"Remove"</button>
                                        </ServerForm>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        <FormStatus failure=failed succeeded=Signal::derive(|| false) saved="" />
    }
    .erase()
}

#[component]
fn RelateForm(id: CiId, relate: FormAction<RelateCi>) -> impl IntoView {
    let failed = failure(relate);
    let kinds = RelationKind::ALL
        .into_iter()
        .flat_map(|k| {
            let both = k.label() != k.inverse_label();
            let forward = (k.as_str().to_owned(), k.label());
            let back = both.then(|| (format!("{}.inverse", k.as_str()), k.inverse_label()));
            std::iter::once(forward).chain(back)
        })
        .map(|(value, label)| view! { <option value=value>{label}</option> })
        .collect_view();
    view! {
        <ServerForm action=relate attr:class="form relate-form" attr:novalidate=true>
            <input type="hidden" name="id" value=id.0.to_string() />
            <div class="field-editor__row">
                <div class="field" class:field--invalid=move || field_error(failed, "kind").read().is_some()>
                    <label for="relate-kind">"This CI"</label>
                    <select id="relate-kind" name="kind">{kinds}</select>
                    <p class="field__error">{move || field_error(failed, "kind").get()}</p>
                </div>
                <CiPicker name="other" label="Configuration item" error=field_error(failed, "other") />
            </div>
            <FormStatus failure=failed succeeded=succeeded(relate) saved="Related." />
            <button type="submit" class="button">"Add relation"</button>
        </ServerForm>
    }
}

/// "Response 1 h · resolution 8 h" for a promise; "No service level" without one.
fn promise_text(promise: &Option<Promise>) -> String {
    let Some(promise) = promise else { return "No service level".to_owned() };
    let target = |what: &str, minutes: Option<u32>| {
        minutes.map(|m| format!("{what} {}", duration_text(chrono::Duration::minutes(i64::from(m)))))
    };
    let targets: Vec<String> =
        [target("response", promise.response_minutes), target("resolution", promise.resolution_minutes)]
            .into_iter()
            .flatten()
            .collect();
    if targets.is_empty() {
        promise.policy.clone()
    } else {
        format!("{}: {}", promise.policy, targets.join(" · "))
    }
}

/// A business service's offerings and the service levels covering them and incidents on it.
#[component]
fn ServiceLevelsPanel(levels: ServiceLevels) -> impl IntoView {
    let offerings = if levels.offerings.is_empty() {
        view! { <p class="muted">"No catalog item is offered under this service."</p> }.erase()
    } else {
        view! {
            <ul class="list">
                {levels
                    .offerings
                    .into_iter()
                    .map(|o| {
                        let draft = (!o.published).then(|| view! { " " <span class="badge badge--neutral">"not published"</span> });
                        view! {
                            <li class="list__item">
                                <A href=format!("/catalog/{}", o.slug)>{o.name}</A>
                                {draft}
                                <p class="muted">{promise_text(&o.promise)}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .erase()
    };
    view! {
        <section class="panel service-levels" aria-labelledby="service-levels-heading">
            <h2 id="service-levels-heading">"Offerings and service levels"</h2>
            {offerings}
            <h3>"Incidents on it"</h3>
            <dl class="facts">
                {levels
                    .incidents
                    .into_iter()
                    .map(|(priority, promise)| {
                        view! {
                            <dt>{format!("P{priority}")}</dt>
                            <dd>{promise_text(&promise)}</dd>
                        }
                    })
                    .collect_view()}
            </dl>
        </section>
    }
}
