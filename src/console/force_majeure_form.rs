//! The developer's force-majeure report: what happened, from and to which day, and one
//! to a few evidence files, sent in one request with its progress shown. The form checks
//! what it can before sending; the server checks everything again.

use leptos::html::Input;
use leptos::prelude::*;
use refund_api::{FORCE_MAJEURE_DESCRIPTION_MIN_CHARS, FORCE_MAJEURE_MAX_FILES};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use super::api;
use crate::api::ApiError;
use crate::components::error_view::ErrorNotice;
use crate::format;
use crate::i18n::{t, tf};

/// The form control a problem (a translation key of [`missing`], or a field the server
/// named) belongs to: it is marked invalid and receives the focus.
#[must_use]
pub fn control_of(problem: &str) -> &'static str {
    match problem {
        "console.fm.need_description" | "description" => "fm-description",
        "console.fm.need_dates" | "starts_on" => "fm-starts",
        "console.fm.dates_backwards" | "ends_on" => "fm-ends",
        _ => "fm-files",
    }
}

/// What is missing before the report can be sent, as a translation key; `None` when
/// nothing is. Dates are `YYYY-MM-DD`, so they compare as text.
#[must_use]
pub fn missing(description: &str, starts_on: &str, ends_on: &str, files: usize) -> Option<&'static str> {
    if description.trim().chars().count() < FORCE_MAJEURE_DESCRIPTION_MIN_CHARS {
        Some("console.fm.need_description")
    } else if starts_on.is_empty() || ends_on.is_empty() {
        Some("console.fm.need_dates")
    } else if ends_on < starts_on {
        Some("console.fm.dates_backwards")
    } else if files == 0 {
        Some("console.fm.need_files")
    } else if files > FORCE_MAJEURE_MAX_FILES {
        Some("console.fm.too_many_files")
    } else {
        None
    }
}

#[component]
pub fn ReportForm(on_sent: Callback<()>) -> impl IntoView {
    let description = RwSignal::new(String::new());
    let starts_on = RwSignal::new(String::new());
    let ends_on = RwSignal::new(String::new());
    let chosen: RwSignal<Vec<(String, u64)>> = RwSignal::new(Vec::new());
    let files: StoredValue<Vec<SendWrapper<web_sys::File>>, LocalStorage> = StoredValue::new_local(Vec::new());
    let problem: RwSignal<Option<&'static str>> = RwSignal::new(None);
    // The control the last problem (the form's own, or the server's) belongs to.
    let invalid: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let mark = move |control: Option<&'static str>| {
        invalid.set(control);
        if let Some(id) = control {
            crate::components::focus::focus_later(id.to_owned());
        }
    };
    let progress: RwSignal<Option<f64>> = RwSignal::new(None);
    let sent = RwSignal::new(false);
    let picker = NodeRef::<Input>::new();

    let pick = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let list = input.and_then(|i| i.files());
        let picked: Vec<web_sys::File> = list
            .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
            .unwrap_or_default();
        chosen.set(picked.iter().map(|f| (f.name(), f.size() as u64)).collect());
        files.set_value(picked.into_iter().map(SendWrapper::new).collect());
        problem.set(None);
    };
    let action = Action::new_local(move |(): &()| {
        let picked: Vec<web_sys::File> = files.with_value(|f| f.iter().map(|f| (**f).clone()).collect());
        let (what, from, to) = (
            description.get_untracked(),
            starts_on.get_untracked(),
            ends_on.get_untracked(),
        );
        async move {
            progress.set(Some(0.0));
            let result = api::report_force_majeure(&what, &from, &to, &picked, move |f| progress.set(Some(f))).await;
            progress.set(None);
            result
        }
    });
    Effect::new(move || {
        if let Some(Err(error)) = action.value().get() {
            mark(Some(control_of(error.field.as_deref().unwrap_or("file"))));
        }
    });
    Effect::new(move || {
        if matches!(action.value().get(), Some(Ok(_))) {
            mark(None);
            crate::components::focus::focus_later("fm-sent".to_owned());
            description.set(String::new());
            starts_on.set(String::new());
            ends_on.set(String::new());
            chosen.set(Vec::new());
            files.set_value(Vec::new());
            if let Some(input) = picker.get_untracked() {
                input.set_value("");
            }
            sent.set(true);
            on_sent.run(());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sent.set(false);
        let gap = missing(
            &description.get_untracked(),
            &starts_on.get_untracked(),
            &ends_on.get_untracked(),
            chosen.with_untracked(Vec::len),
        );
        problem.set(gap);
        mark(gap.map(control_of));
        if gap.is_none() && !action.pending().get_untracked() {
            action.dispatch(());
        }
    };
    let max = FORCE_MAJEURE_MAX_FILES.to_string();
    let min = FORCE_MAJEURE_DESCRIPTION_MIN_CHARS.to_string();
    let limits = [("max", max.clone()), ("min", min.clone())];
    let is_invalid = move |id: &'static str| move || (invalid.get() == Some(id)).to_string();
    let date_field = move |id: &'static str, key: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field inline">
                <label for=id>{t(key)}</label>
                <input id=id type="date" required aria-invalid=is_invalid(id) aria-describedby="fm-problem"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <section aria-labelledby="fm-form-title" class="fm-form">
            <h2 id="fm-form-title">{t("console.fm.report")}</h2>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="fm-description">{t("console.fm.description")}</label>
                    <p class="hint" id="fm-description-hint">{move || tf("console.fm.description_hint", &[("min", &min)])}</p>
                    <textarea id="fm-description" rows="4" aria-describedby="fm-description-hint fm-problem"
                        aria-invalid=is_invalid("fm-description")
                        prop:value=move || description.get()
                        on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </div>
                <div class="row">
                    {date_field("fm-starts", "console.fm.starts_on", starts_on)}
                    {date_field("fm-ends", "console.fm.ends_on", ends_on)}
                </div>
                <div class="field file-field">
                    <label for="fm-files">{t("console.fm.evidence")}</label>
                    <p class="hint" id="fm-files-hint">{move || tf("console.fm.evidence_hint", &[("max", &max)])}</p>
                    <input id="fm-files" type="file" multiple node_ref=picker aria-describedby="fm-files-hint fm-problem"
                        aria-invalid=is_invalid("fm-files")
                        accept="image/jpeg,image/png,image/webp,image/heic,application/pdf,video/mp4" on:change=pick />
                    <ul class="fm-chosen">
                        {move || chosen.get().into_iter().map(|(name, size)| view! {
                            <li>{name} " (" {format::file_size(size)} ")"</li>
                        }).collect_view()}
                    </ul>
                </div>
                <p id="fm-problem" class="field-error" role="alert">
                    {move || problem.get().map(|key| {
                        let args: Vec<(&str, &str)> = limits.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        tf(key, &args)
                    })}
                </p>
                {move || progress.get().map(|f| {
                    let percent = (f * 100.0).round();
                    view! {
                        <div class="fm-progress" role="status">
                            <progress max="100" value=percent.to_string()></progress>
                            " " {move || tf("console.fm.sending", &[("percent", &percent.to_string())])}
                        </div>
                    }
                })}
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {t("console.fm.send")}
                </button>
            </form>
            {move || sent.get().then(|| view! { <p id="fm-sent" class="notice" role="status" tabindex="-1">{t("console.fm.sent")}</p> })}
            {move || action.value().get().and_then(Result::err).map(|error: ApiError| view! { <ErrorNotice error /> })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{control_of, missing};

    #[test]
    fn the_form_names_the_first_thing_missing() {
        let said = "机房停电，客服系统停机。";
        assert_eq!(
            missing("停电", "2026-11-02", "2026-11-03", 1),
            Some("console.fm.need_description")
        );
        assert_eq!(missing(said, "", "2026-11-03", 1), Some("console.fm.need_dates"));
        assert_eq!(
            missing(said, "2026-11-04", "2026-11-03", 1),
            Some("console.fm.dates_backwards")
        );
        assert_eq!(
            missing(said, "2026-11-02", "2026-11-03", 0),
            Some("console.fm.need_files")
        );
        assert_eq!(
            missing(said, "2026-11-02", "2026-11-03", 6),
            Some("console.fm.too_many_files")
        );
        assert_eq!(missing(said, "2026-11-02", "2026-11-02", 1), None);
        assert_eq!(control_of("console.fm.dates_backwards"), "fm-ends");
        assert_eq!(control_of("file"), "fm-files");
    }
}
