//! The signed-in person's own details: name, time zone, password.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::profile::{ChangePassword, UpdateProfile, my_profile};
use crate::components::field::{Field, ZoneOptions};
use crate::components::form_status::{FormStatus, failure, field_error, saved_version, succeeded};
use crate::components::loaded::{loaded, resource};
use crate::components::server_form::{FormAction, ServerForm};
use crate::context::{CurrentZone, DisplayName};
use crate::domain::people::{PASSWORD_MAX, Profile};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let update = FormAction::<UpdateProfile>::new();
    let saved = saved_version(update);
    let profile = resource(move || saved.get(), |_| my_profile());
    view! {
        <Title text="Your profile" />
        <header class="page-header">
            <h1>"Your profile"</h1>
            <p class="muted">"How the service desk sees you, and how you sign in."</p>
        </header>
        {loaded(profile, move |profile| view! { <ProfileForms profile update /> })}
    }
}

#[component]
fn ProfileForms(profile: Profile, update: FormAction<UpdateProfile>) -> impl IntoView {
    let change = FormAction::<ChangePassword>::new();
    let details_failure = failure(update);
    let password_failure = failure(change);
    let Profile { user, time_zones, organisation_zone, zone } = profile;
    // The header shows the name too, and the pages from here on the zone.
    if let Some(DisplayName(name)) = use_context::<DisplayName>() {
        name.set(user.name.clone());
    }
    if let Some(CurrentZone(current)) = use_context::<CurrentZone>() {
        current.set(zone);
    }
    let current_zone = user.time_zone.clone();
    view! {
        <div class="panels">
            <section class="panel" aria-labelledby="details-heading">
                <h2 id="details-heading">"Details"</h2>
                <ServerForm action=update attr:class="form" attr:novalidate=true>
                    <Field
                        name="name"
                        label="Name"
                        autocomplete="name"
                        value=user.name.clone()
                        maxlength=120
                        error=field_error(details_failure, "name")
                    />
                    <div class="field">
                        <label for="email">"E-mail"</label>
                        <input id="email" type="email" value=user.email.clone() readonly aria-describedby="email-hint" />
                        <p id="email-hint" class="field__hint">"Your administrator changes this."</p>
                    </div>
                    <div class="field" class:field--invalid=move || field_error(details_failure, "time_zone").read().is_some()>
                        <label for="time_zone">"Time zone"</label>
                        <select id="time_zone" name="time_zone" aria-describedby="time_zone-error">
                            <option value="" selected=current_zone.is_empty()>
                                {format!("The organisation's ({organisation_zone})")}
                            </option>
                            <ZoneOptions zones=time_zones current=current_zone />
                        </select>
                        <p id="time_zone-error" class="field__error">
                            {move || field_error(details_failure, "time_zone").get()}
                        </p>
                    </div>
                    <FormStatus failure=details_failure succeeded=succeeded(update) saved="Saved." />
                    <button type="submit" class="button button--primary">"Save details"</button>
                </ServerForm>
            </section>
            <section class="panel" aria-labelledby="password-heading">
                <h2 id="password-heading">"Password"</h2>
                <p class="muted">"Changing it signs you out everywhere else."</p>
                <ServerForm action=change attr:class="form" attr:novalidate=true>
                    <Field
                        name="current_password"
                        label="Current password"
                        input_type="password"
                        autocomplete="current-password"
                        error=field_error(password_failure, "current_password")
                    />
                    <Field
                        name="new_password"
                        label="New password"
                        input_type="password"
                        autocomplete="new-password"
                        hint="At least 10 characters. A few unrelated words work well."
                        maxlength=PASSWORD_MAX
                        error=field_error(password_failure, "new_password")
                    />
                    <Field
                        name="confirm_password"
                        label="New password again"
                        input_type="password"
                        autocomplete="new-password"
                        maxlength=PASSWORD_MAX
                        error=field_error(password_failure, "confirm_password")
                    />
                    <FormStatus
                        failure=password_failure
                        succeeded=succeeded(change)
                        saved="Password changed. Other devices have been signed out."
                    />
                    <button type="submit" class="button button--primary">"Change password"</button>
                </ServerForm>
            </section>
        </div>
    }
}
