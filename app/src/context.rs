//! The session every page reads: who is signed in, and the sign-in / sign-out actions
//! whose completion refreshes it.

use leptos::prelude::*;

use crate::api::session::{Login, Logout, Me, who_am_i};
use crate::components::loaded::{Json, resource};
use crate::components::server_form::FormAction;
use crate::error::AppError;
use crate::fmt::Zone;

#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<Me>, AppError>, Json>,
    pub login: FormAction<Login>,
    pub logout: FormAction<Logout>,
}

pub fn provide_session() {
    let login = FormAction::<Login>::new();
    let logout = FormAction::<Logout>::new();
    let user = resource(move || (login.version().get(), logout.version().get()), |_| who_am_i());
    provide_context(Session { user, login, logout });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The time zone the signed-in person reads dates in, provided by the signed-in frame;
/// the profile page sets it when they choose another.
#[derive(Clone, Copy)]
pub struct CurrentZone(pub RwSignal<Zone>);

pub fn use_zone() -> Zone {
    use_context::<CurrentZone>().map(|zone| zone.0.get_untracked()).unwrap_or_default()
}

/// The signed-in person's name as the header shows it; the profile page updates it when
/// they rename themselves, without reloading the session and the page around it.
#[derive(Clone, Copy)]
pub struct DisplayName(pub RwSignal<String>);

/// Bumped when the signed-in person reads their notifications, so the bell recounts.
#[derive(Clone, Copy)]
pub struct InboxRead(pub RwSignal<u32>);

/// Where the wasm, JS and CSS are served from: a path that changes with every build, so
/// browsers may keep them forever. Provided by the server; empty in tests.
#[derive(Clone, Debug, Default)]
pub struct AssetRoot(pub String);

/// False while the page is server-rendered HTML, true once the wasm has hydrated it.
/// Lets markup degrade to what works without JavaScript until then.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
