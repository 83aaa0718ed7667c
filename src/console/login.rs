//! Signing in to the console: login and password. Wrong passwords are answered in words;
//! after several, the server asks to wait and the form says for how long.

use leptos::prelude::*;
use refund_api::StaffView;

use super::{Signed, api};
use crate::api::ApiError;
use crate::components::error_view::ErrorNotice;
use crate::i18n::{t, use_page_title};

#[component]
pub fn Login() -> impl IntoView {
    use_page_title("console.login.title");
    let signed = expect_context::<Signed>();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let action = Action::new_local(move |(login, password): &(String, String)| {
        let (login, password) = (login.clone(), password.clone());
        async move { api::login(&login, &password).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(staff)) = action.value().get() {
            let staff: StaffView = staff;
            signed.0.set(Some(Some(staff)));
        }
    });
    let pending = action.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !pending.get_untracked() {
            action.dispatch_local((login.get_untracked().trim().to_owned(), password.get_untracked()));
        }
    };
    view! {
        <section class="login-card" aria-labelledby="login-title">
            <h1 id="login-title">{t("console.login.title")}</h1>
            <p class="muted">{t("console.login.intro")}</p>
            <form on:submit=submit>
                <div class="field">
                    <label for="login-name">{t("console.login.login")}</label>
                    <input
                        id="login-name"
                        name="username"
                        autocomplete="username"
                        required
                        prop:value=move || login.get()
                        on:input=move |ev| login.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for="login-password">{t("console.login.password")}</label>
                    <input
                        id="login-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </div>
                <button type="submit" class="button primary" disabled=move || pending.get()>
                    {move || if pending.get() { t("console.login.signing_in")() } else { t("console.login.submit")() }}
                </button>
            </form>
            {move || action.value().get().and_then(Result::err).map(|error: ApiError| view! { <ErrorNotice error /> })}
        </section>
    }
}
