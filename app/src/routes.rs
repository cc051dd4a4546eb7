//! The route table: every URL of the portal in one screen.

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

use crate::components::app_shell::AppShell;
use crate::components::erased::Erase;
use crate::context::provide_session;
use crate::pages::admin::calendar_page::CalendarPage;
use crate::pages::admin::catalog_page::CatalogAdminPage;
use crate::pages::admin::ci_classes_page::{CiClassPage, CiClassesPage};
use crate::pages::admin::desk_page::DeskPage;
use crate::pages::admin::form_editor_page::FormEditorPage;
use crate::pages::admin::group_page::GroupPage;
use crate::pages::admin::groups_page::GroupsPage;
use crate::pages::admin::item_page::ItemAdminPage;
use crate::pages::admin::policy_page::PolicyPage;
use crate::pages::admin::service_levels_page::ServiceLevelsPage;
use crate::pages::admin::user_page::UserPage;
use crate::pages::admin::users_page::UsersPage;
use crate::pages::approvals_page::ApprovalsPage;
use crate::pages::attainment_page::AttainmentPage;
use crate::pages::breaching_page::BreachingPage;
use crate::pages::catalog_item_page::CatalogItemPage;
use crate::pages::catalog_page::CatalogPage;
use crate::pages::cmdb::ci_edit_page::CiEditPage;
use crate::pages::cmdb::ci_list_page::CiListPage;
use crate::pages::cmdb::ci_page::CiDetailPage;
use crate::pages::cmdb::devices_page::DevicesPage;
use crate::pages::cmdb::import_page::ImportPage;
use crate::pages::cmdb::services_page::ServicesPage;
use crate::pages::login_page::LoginPage;
use crate::pages::my_requests_page::MyRequestsPage;
use crate::pages::not_found_page::NotFoundPage;
use crate::pages::notifications_page::NotificationsPage;
use crate::pages::profile_page::ProfilePage;
use crate::pages::queue_page::QueuePage;
use crate::pages::record_page::RecordPage;
use crate::pages::report_page::ReportPage;
use crate::pages::tasks_page::TasksPage;

/// "INC0000042 · Printer jammed · Switchboard". leptos_meta writes the server-rendered
/// `<title>` without escaping it, so on the server the text is escaped here: a record title
/// must not be able to close the element. The browser sets the title as plain text.
fn document_title(page: String) -> String {
    let title = format!("{page} · Switchboard");
    if cfg!(feature = "ssr") {
        title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        title
    }
}

/// The portal's areas. Each is one chunk of the wasm, fetched the first time one of its
/// pages is shown, so a requester's phone never downloads the agents' queue or the admin
/// editors. On the server an area's page is rendered at once and names the chunks it needs
/// in the page's head, so the browser fetches them alongside the main script. A chunk that
/// cannot be fetched shows a message with a retry in place of its page.
macro_rules! areas {
    ($($area:ident { $($route:ident => $page:ident),+ $(,)? })*) => {
        #[derive(Clone, Copy, Debug)]
        pub enum Page { $($($page,)+)* }

        $(
            mod $area {
                use super::*;

                #[cfg_attr(
                    feature = "hydrate",
                    ::leptos::wasm_split::wasm_split(
                        $area,
                        wasm_split_path = ::leptos::wasm_split,
                        preload(fetch),
                        fallible
                    )
                )]
                pub fn show(page: Page) -> Result<AnyView, ChunkMissing> {
                    #[cfg(feature = "ssr")]
                    crate::ssr::chunks::preload(stringify!($area));
                    #[allow(unreachable_patterns)]
                    Ok(match page {
                        $(Page::$page => view! { <$page /> }.erase(),)+
                        _ => view! { <NotFoundPage /> }.erase(),
                    })
                }

                /// Fetches the area's chunk before its page is shown: hydrating a page
                /// needs its code at hand, as the server's markup is already there.
                pub async fn load() {
                    #[cfg(feature = "hydrate")]
                    let _ = fetch().await;
                }
            }

            $(
                pub struct $route;

                impl LazyRoute for $route {
                    fn data() -> Self {
                        $route
                    }

                    async fn preload() {
                        $area::load().await;
                    }

                    async fn view(_this: Self) -> AnyView {
                        #[cfg(feature = "hydrate")]
                        let shown = $area::show(Page::$page).await;
                        #[cfg(not(feature = "hydrate"))]
                        let shown = $area::show(Page::$page);
                        shown.unwrap_or_else(|_| view! { <ChunkFailed /> }.erase())
                    }
                }
            )+
        )*
    };
}

areas! {
    sign_in { SignIn => LoginPage }
    catalog { Catalog => CatalogPage }
    order { Order => CatalogItemPage }
    report { Report => ReportPage }
    own_work {
        MyRequests => MyRequestsPage,
        Notifications => NotificationsPage,
        Approvals => ApprovalsPage,
        Profile => ProfilePage,
        Devices => DevicesPage,
        Services => ServicesPage,
    }
    record { Record => RecordPage }
    desk {
        Queue => QueuePage,
        Breaching => BreachingPage,
        Tasks => TasksPage,
        Attainment => AttainmentPage,
    }
    people {
        Users => UsersPage,
        User => UserPage,
        Groups => GroupsPage,
        Group => GroupPage,
    }
    catalog_admin {
        CatalogAdmin => CatalogAdminPage,
        ItemAdmin => ItemAdminPage,
    }
    form_editor {
        FormEditor => FormEditorPage,
        CiClasses => CiClassesPage,
        CiClassEdit => CiClassPage,
        CiImport => ImportPage,
    }
    cmdb {
        CiList => CiListPage,
        CiDetail => CiDetailPage,
    }
    ci_editor { CiEdit => CiEditPage }
    settings {
        DeskSettings => DeskPage,
        ServiceLevels => ServiceLevelsPage,
        Calendar => CalendarPage,
        Policy => PolicyPage,
    }
}

/// An area's chunk could not be fetched (offline, or a deploy replaced it).
pub struct ChunkMissing;

#[cfg(feature = "hydrate")]
impl From<::leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: ::leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// In place of a page whose code could not be fetched; the rest of the portal still works.
#[component]
fn ChunkFailed() -> impl IntoView {
    view! {
        <section class="panel chunk-failed" role="alert">
            <h1>"This page could not be loaded"</h1>
            <p class="muted">"Check your connection, then try again. Everything else keeps working."</p>
            <button type="button" class="button button--primary" on:click=|_| reload()>
                "Try again"
            </button>
        </section>
    }
}

fn reload() {
    if let Some(window) = leptos::web_sys::window() {
        let _ = window.location().reload();
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_session();
    // Async: every page arrives complete, readable without JavaScript, with its status set.
    let ssr = SsrMode::Async;
    view! {
        <Title formatter=document_title />
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view={Lazy::<SignIn>::new()} ssr=ssr.clone() />
                <ParentRoute path=path!("") view=AppShell ssr=ssr.clone()>
                    <Route path=path!("/") view={Lazy::<Catalog>::new()} ssr=ssr.clone() />
                    <Route path=path!("/catalog/:slug") view={Lazy::<Order>::new()} ssr=ssr.clone() />
                    <Route path=path!("/requests") view={Lazy::<MyRequests>::new()} ssr=ssr.clone() />
                    <Route path=path!("/report") view={Lazy::<Report>::new()} ssr=ssr.clone() />
                    <Route path=path!("/records/:number") view={Lazy::<Record>::new()} ssr=ssr.clone() />
                    <Route path=path!("/queue") view={Lazy::<Queue>::new()} ssr=ssr.clone() />
                    <Route path=path!("/queue/breaching") view={Lazy::<Breaching>::new()} ssr=ssr.clone() />
                    <Route path=path!("/reports/service-levels") view={Lazy::<Attainment>::new()} ssr=ssr.clone() />
                    <Route path=path!("/approvals") view={Lazy::<Approvals>::new()} ssr=ssr.clone() />
                    <Route path=path!("/tasks") view={Lazy::<Tasks>::new()} ssr=ssr.clone() />
                    <Route path=path!("/notifications") view={Lazy::<Notifications>::new()} ssr=ssr.clone() />
                    <Route path=path!("/profile") view={Lazy::<Profile>::new()} ssr=ssr.clone() />
                    <Route path=path!("/devices") view={Lazy::<Devices>::new()} ssr=ssr.clone() />
                    <Route path=path!("/services") view={Lazy::<Services>::new()} ssr=ssr.clone() />
                    <Route path=path!("/cmdb") view={Lazy::<CiList>::new()} ssr=ssr.clone() />
                    <Route path=path!("/cmdb/new") view={Lazy::<CiEdit>::new()} ssr=ssr.clone() />
                    <Route path=path!("/cmdb/import") view={Lazy::<CiImport>::new()} ssr=ssr.clone() />
                    <Route path=path!("/cmdb/:id") view={Lazy::<CiDetail>::new()} ssr=ssr.clone() />
                    <Route path=path!("/cmdb/:id/edit") view={Lazy::<CiEdit>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/users") view={Lazy::<Users>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/users/:id") view={Lazy::<User>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/groups") view={Lazy::<Groups>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/groups/:id") view={Lazy::<Group>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/catalog") view={Lazy::<CatalogAdmin>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/catalog/:id") view={Lazy::<ItemAdmin>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/catalog/:id/form") view={Lazy::<FormEditor>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/classes") view={Lazy::<CiClasses>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/classes/:id") view={Lazy::<CiClassEdit>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/desk") view={Lazy::<DeskSettings>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/service-levels") view={Lazy::<ServiceLevels>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/service-levels/calendars/:id") view={Lazy::<Calendar>::new()} ssr=ssr.clone() />
                    <Route path=path!("/admin/service-levels/policies/:id") view={Lazy::<Policy>::new()} ssr=ssr.clone() />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
