//! The route table: every URL of the portal in one screen.

use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::components::app_shell::AppShell;
use crate::context::provide_session;
use crate::pages::admin::calendar_page::CalendarPage;
use crate::pages::admin::catalog_page::CatalogAdminPage;
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
                <Route path=path!("/login") view=LoginPage ssr=ssr.clone() />
                <ParentRoute path=path!("") view=AppShell ssr=ssr.clone()>
                    <Route path=path!("/") view=CatalogPage ssr=ssr.clone() />
                    <Route path=path!("/catalog/:slug") view=CatalogItemPage ssr=ssr.clone() />
                    <Route path=path!("/requests") view=MyRequestsPage ssr=ssr.clone() />
                    <Route path=path!("/report") view=ReportPage ssr=ssr.clone() />
                    <Route path=path!("/records/:number") view=RecordPage ssr=ssr.clone() />
                    <Route path=path!("/queue") view=QueuePage ssr=ssr.clone() />
                    <Route path=path!("/queue/breaching") view=BreachingPage ssr=ssr.clone() />
                    <Route path=path!("/reports/service-levels") view=AttainmentPage ssr=ssr.clone() />
                    <Route path=path!("/approvals") view=ApprovalsPage ssr=ssr.clone() />
                    <Route path=path!("/tasks") view=TasksPage ssr=ssr.clone() />
                    <Route path=path!("/notifications") view=NotificationsPage ssr=ssr.clone() />
                    <Route path=path!("/profile") view=ProfilePage ssr=ssr.clone() />
                    <Route path=path!("/admin/users") view=UsersPage ssr=ssr.clone() />
                    <Route path=path!("/admin/users/:id") view=UserPage ssr=ssr.clone() />
                    <Route path=path!("/admin/groups") view=GroupsPage ssr=ssr.clone() />
                    <Route path=path!("/admin/groups/:id") view=GroupPage ssr=ssr.clone() />
                    <Route path=path!("/admin/catalog") view=CatalogAdminPage ssr=ssr.clone() />
                    <Route path=path!("/admin/catalog/:id") view=ItemAdminPage ssr=ssr.clone() />
                    <Route path=path!("/admin/catalog/:id/form") view=FormEditorPage ssr=ssr.clone() />
                    <Route path=path!("/admin/desk") view=DeskPage ssr=ssr.clone() />
                    <Route path=path!("/admin/service-levels") view=ServiceLevelsPage ssr=ssr.clone() />
                    <Route path=path!("/admin/service-levels/calendars/:id") view=CalendarPage ssr=ssr.clone() />
                    <Route path=path!("/admin/service-levels/policies/:id") view=PolicyPage ssr=ssr.clone() />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
