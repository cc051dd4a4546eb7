//! The signed-in frame: header, navigation, who is signed in, sign-out, and the page.
//! It is also the gate: a signed-out visitor is sent to sign in and brought back after.

use leptos::prelude::*;
use leptos_router::components::{A, Outlet, Redirect};
use leptos_router::hooks::use_location;

use crate::api::notifications::unread_notifications;
use crate::components::error_view::ErrorView;
use crate::components::icon::Icon;
use crate::components::loaded::resource;
use crate::components::server_form::ServerForm;
use crate::context::{CurrentZone, DisplayName, InboxRead, use_hydrated, use_session};
use crate::domain::user::{CurrentUser, Role, initials};
use crate::fmt::{Zone, query_value};

#[component]
pub fn AppShell() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(me)) => view! { <SignedInFrame user=me.user zone=me.zone /> }.into_any(),
                    Ok(None) => {
                        let path = location.pathname.get_untracked();
                        let search = location.search.get_untracked();
                        let search = search.trim_start_matches('?');
                        let here = if search.is_empty() { path } else { format!("{path}?{search}") };
                        view! { <Redirect path=format!("/login?next={}", query_value(&here)) /> }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignedInFrame(user: CurrentUser, zone: Zone) -> impl IntoView {
    let session = use_session();
    provide_context(CurrentZone(RwSignal::new(zone)));
    let (menu_open, set_menu_open) = signal(false);
    // With scripts on, the phone menu starts collapsed (styled by the document's `js`
    // class before hydration); the toggle works once the page is interactive.
    let interactive = use_hydrated();
    let admin_menu = NodeRef::<leptos::html::Details>::new();
    let is_agent = user.is_agent();
    let is_admin = user.has(Role::Admin);
    let name = RwSignal::new(user.name.clone());
    provide_context(DisplayName(name));
    // The bell's count, read again on every navigation and whenever the inbox is read.
    let location = use_location();
    let inbox_read = RwSignal::new(0_u32);
    provide_context(InboxRead(inbox_read));
    let unread = resource(move || (location.pathname.get(), inbox_read.get()), |_| unread_notifications());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header
            class="site-header"
            class:open=menu_open
            data-hydrated=move || interactive.get().then_some("true")
        >
            <div class="site-header__bar">
                <A href="/" attr:class="brand">
                    <Icon name="switchboard" />
                    <span>"Switchboard"</span>
                </A>
                <A href="/notifications" attr:class="bell">
                    <Icon name="bell" />
                    <span class="visually-hidden">"Notifications"</span>
                    <Suspense>
                        {move || Suspend::new(async move {
                            let count = unread.await.unwrap_or(0);
                            (count > 0)
                                .then(|| {
                                    view! {
                                        <span class="bell__count">
                                            {count.min(99)}
                                            <span class="visually-hidden">" unread"</span>
                                        </span>
                                    }
                                })
                        })}
                    </Suspense>
                </A>
                <button
                    type="button"
                    class="menu-toggle"
                    aria-controls="primary-nav"
                    aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| set_menu_open.update(|open| *open = !*open)
                >
                    <Icon name="menu" />
                    <span>"Menu"</span>
                </button>
            </div>
            // Following a link (or signing out) closes the menu behind it, and the admin list.
            <nav
                id="primary-nav"
                class="primary-nav"
                aria-label="Main"
                on:click=move |ev| {
                    if followed_a_link(&ev) {
                        set_menu_open.set(false);
                        if let Some(menu) = admin_menu.get_untracked() {
                            menu.set_open(false);
                        }
                    }
                }
            >
                <ul>
                    <li>
                        <A href="/" exact=true>"Catalog"</A>
                    </li>
                    <li>
                        <A href="/report">"Report an issue"</A>
                    </li>
                    <li>
                        <A href="/requests">"My requests"</A>
                    </li>
                    <li>
                        <A href="/devices">"My devices"</A>
                    </li>
                    <li>
                        <A href="/services">"Service status"</A>
                    </li>
                    <li>
                        <A href="/approvals">"Approvals"</A>
                    </li>
                    {is_agent
                        .then(|| {
                            view! {
                                <li>
                                    <A href="/queue">"Queue"</A>
                                </li>
                                <li>
                                    <A href="/tasks">"Group tasks"</A>
                                </li>
                                <li>
                                    <A href="/reports/service-levels">"SLA report"</A>
                                </li>
                                <li>
                                    <A href="/cmdb">"Configuration"</A>
                                </li>
                            }
                        })}
                    {is_admin
                        .then(|| {
                            view! {
                                <li class="nav-group">
                                    <details node_ref=admin_menu>
                                        <summary>"Admin"</summary>
                                        <ul>
                                            <li>
                                                <A href="/admin/users">"People"</A>
                                            </li>
                                            <li>
                                                <A href="/admin/groups">"Groups"</A>
                                            </li>
                                            <li>
                                                <A href="/admin/catalog">"Catalog admin"</A>
                                            </li>
                                            <li>
                                                <A href="/admin/classes">"CI classes"</A>
                                            </li>
                                            <li>
                                                <A href="/admin/desk">"Desk settings"</A>
                                            </li>
                                            <li>
                                                <A href="/admin/service-levels">"Service levels"</A>
                                            </li>
                                        </ul>
                                    </details>
                                </li>
                            }
                        })}
                </ul>
                <div class="who">
                    <span class="avatar" aria-hidden="true">
                        {move || initials(&name.read())}
                    </span>
                    <A href="/profile" attr:class="who__text">
                        <span class="who__label">"Signed in as "</span>
                        <span class="who__name">{move || name.get()}</span>
                    </A>
                    <ServerForm action=session.logout attr:class="sign-out">
                        <button type="submit" class="button button--quiet">
                            "Sign out"
                        </button>
                    </ServerForm>
                </div>
            </nav>
        </header>
        <main id="main" class="page" tabindex="-1">
            <Outlet />
        </main>
    }
}

/// Whether a click landed on a link or a button (sign out), rather than on the menu itself.
fn followed_a_link(ev: &leptos::ev::MouseEvent) -> bool {
    use leptos::wasm_bindgen::JsCast;
    ev.target()
        .and_then(|target| target.dyn_into::<leptos::web_sys::Element>().ok())
        .and_then(|element| element.closest("a, button").ok().flatten())
        .is_some()
}
