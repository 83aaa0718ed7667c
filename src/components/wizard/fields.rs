//! Labelled inputs whose errors sit beside them (`aria-invalid`, `aria-describedby`).

use leptos::prelude::*;

use super::FormCtx;
use crate::form::{FieldError, error_id, input_id};
use crate::i18n::{t, tf, tr};

/// An error in words: the translated key with its values filled in; the server's own
/// words only for a code the app has no words for.
#[must_use]
pub fn field_error_text(error: &FieldError) -> String {
    match &error.detail {
        Some(detail) if !detail.is_empty() => format!("{} {detail}", tr(&error.key)),
        _ => {
            let args: Vec<(&str, &str)> = error.params.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            tf(&error.key, &args)
        }
    }
}

/// The error line of one field; always present (empty when fine) so ids never dangle.
#[component]
pub fn FieldErrorText(
    /// The field path, e.g. `guardian.phone`.
    #[prop(into)]
    field: String,
) -> impl IntoView {
    let ctx = FormCtx::get();
    let id = error_id(&field);
    view! {
        <p class="field-error" id=id>
            {move || ctx.error(&field).map(|e| field_error_text(&e))}
        </p>
    }
}

/// `aria-describedby` for a field: its hint (if any) and its error line.
fn described_by(field: &str, hint: bool) -> String {
    if hint {
        format!("{}-hint {}", input_id(field), error_id(field))
    } else {
        error_id(field)
    }
}

fn invalid(field: &'static str) -> impl Fn() -> &'static str + Send + Sync + Copy {
    let ctx = FormCtx::get();
    move || if ctx.error(field).is_some() { "true" } else { "false" }
}

/// A one-line text input.
#[component]
pub fn TextInput(
    /// The field path, e.g. `guardian.phone`.
    field: &'static str,
    /// Translation key of the visible label.
    label_key: &'static str,
    /// Translation key of a hint shown under the label.
    #[prop(optional)]
    hint_key: Option<&'static str>,
    /// `type` of the input.
    #[prop(default = "text")]
    input_type: &'static str,
    /// `autocomplete` token, e.g. `tel`.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// `inputmode`, e.g. `numeric`.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// Longest value accepted.
    #[prop(optional)]
    maxlength: Option<u32>,
    /// The current value.
    #[prop(into)]
    value: Signal<String>,
    /// Called with every new value.
    on_input: Callback<String>,
) -> impl IntoView {
    let id = input_id(field);
    view! {
        <div class="field">
            <label for=id.clone()>{t(label_key)}</label>
            {hint_key.map(|k| view! { <p class="hint" id=format!("{id}-hint")>{t(k)}</p> })}
            <input
                id=id.clone()
                name=field
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                prop:value=move || value.get()
                aria-invalid=invalid(field)
                aria-describedby=described_by(field, hint_key.is_some())
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
            <FieldErrorText field />
        </div>
    }
}

/// A multi-line text input with a live character count.
#[component]
pub fn TextArea(
    /// The field path, e.g. `narrative`.
    field: &'static str,
    /// Translation key of the visible label.
    label_key: &'static str,
    /// Translation key of a hint shown under the label.
    hint_key: &'static str,
    /// The current value.
    #[prop(into)]
    value: Signal<String>,
    /// Called with every new value.
    on_input: Callback<String>,
) -> impl IntoView {
    let id = input_id(field);
    let count = move || value.with(|v| v.trim().chars().count()).to_string();
    view! {
        <div class="field">
            <label for=id.clone()>{t(label_key)}</label>
            <p class="hint" id=format!("{id}-hint")>{t(hint_key)}</p>
            <textarea
                id=id.clone()
                name=field
                rows="8"
                maxlength="5000"
                prop:value=move || value.get()
                aria-invalid=invalid(field)
                aria-describedby=described_by(field, true)
                on:input=move |ev| on_input.run(event_target_value(&ev))
            ></textarea>
            <p class="char-count" aria-live="polite">
                {move || crate::i18n::tf("form.char_count", &[("n", &count())])}
            </p>
            <FieldErrorText field />
        </div>
    }
}

/// One choice of a select or radio group: its value and the translation key (or plain text) of its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub label_key: Option<String>,
    pub plain: String,
}

impl Choice {
    #[must_use]
    pub fn translated(value: String, label_key: String) -> Self {
        Self {
            value,
            label_key: Some(label_key),
            plain: String::new(),
        }
    }

    #[must_use]
    pub fn plain(value: String) -> Self {
        Self {
            plain: value.clone(),
            value,
            label_key: None,
        }
    }

    fn label(&self) -> String {
        self.label_key.as_deref().map_or_else(|| self.plain.clone(), tr)
    }
}

/// A drop-down list with a "please choose" first option.
#[component]
pub fn SelectInput(
    /// The field path, e.g. `guardian.relation`.
    field: &'static str,
    /// DOM id of the select (defaults from the field; a field with two selects needs two ids).
    #[prop(optional)]
    id: Option<String>,
    /// Translation key of the visible label.
    label_key: &'static str,
    /// The choices, in order.
    choices: Vec<Choice>,
    /// The chosen value, empty for none.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the newly chosen value.
    on_change: Callback<String>,
    /// Whether to show the field's error line here (off when two selects share a field).
    #[prop(default = true)]
    show_error: bool,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| input_id(field));
    let options = choices
        .into_iter()
        .map(|c| {
            let (v, option_value) = (c.value.clone(), c.value.clone());
            view! {
                <option value=option_value selected=move || value.with(|cur| *cur == v)>
                    {move || c.label()}
                </option>
            }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id.clone()>{t(label_key)}</label>
            <select
                id=id
                name=field
                aria-invalid=invalid(field)
                aria-describedby=error_id(field)
                on:change=move |ev| on_change.run(event_target_value(&ev))
            >
                <option value="" selected=move || value.with(String::is_empty)>
                    {t("form.choose")}
                </option>
                {options}
            </select>
            {show_error.then(|| view! { <FieldErrorText field /> })}
        </div>
    }
}

/// The id of choice `i` of a group: the field's input id for the first (so an error
/// focuses it), suffixed for the others.
fn choice_id(field: &str, i: usize) -> String {
    if i == 0 {
        input_id(field)
    } else {
        format!("{}-{i}", input_id(field))
    }
}

/// A group of radio buttons in a fieldset with a legend.
#[component]
pub fn RadioGroup(
    /// The field path, e.g. `complaint.demand`.
    field: &'static str,
    /// Translation key of the legend.
    legend_key: &'static str,
    /// The choices, in order.
    choices: Vec<Choice>,
    /// The chosen value, empty for none.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the newly chosen value.
    on_change: Callback<String>,
) -> impl IntoView {
    let radios = choices
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let id = choice_id(field, i);
            let (v, chosen, radio_value) = (c.value.clone(), c.value.clone(), c.value.clone());
            let label_for = id.clone();
            view! {
                <label class="choice" for=label_for>
                    <input
                        type="radio"
                        id=id
                        name=field
                        value=radio_value
                        prop:checked=move || value.with(|cur| *cur == v)
                        on:change=move |_| on_change.run(chosen.clone())
                    />
                    <span>{move || c.label()}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="field choices"
            role="radiogroup"
            aria-invalid=invalid(field)
            aria-describedby=error_id(field)
        >
            <legend>{t(legend_key)}</legend>
            {radios}
            <FieldErrorText field />
        </fieldset>
    }
}

/// A group of checkboxes in a fieldset with a legend: any number may be chosen.
#[component]
pub fn CheckboxGroup(
    /// The field path, e.g. `complaint.demands`.
    field: &'static str,
    /// Translation key of the legend.
    legend_key: &'static str,
    /// Translation key of a hint under the legend.
    hint_key: &'static str,
    /// The choices, in order.
    choices: Vec<Choice>,
    /// Whether the choice of this value is ticked.
    is_chosen: Callback<String, bool>,
    /// Called with a value and whether it is now ticked.
    on_toggle: Callback<(String, bool)>,
) -> impl IntoView {
    let hint_id = format!("{}-hint", input_id(field));
    let boxes = choices
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let id = choice_id(field, i);
            let (v, toggled) = (c.value.clone(), c.value.clone());
            let label_for = id.clone();
            view! {
                <label class="choice" for=label_for>
                    <input
                        type="checkbox"
                        id=id
                        name=field
                        value=c.value.clone()
                        prop:checked=move || is_chosen.run(v.clone())
                        on:change=move |ev| on_toggle.run((toggled.clone(), event_target_checked(&ev)))
                    />
                    <span>{move || c.label()}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field choices" aria-invalid=invalid(field) aria-describedby=described_by(field, true)>
            <legend>{t(legend_key)}</legend>
            <p class="hint" id=hint_id>{t(hint_key)}</p>
            {boxes}
            <FieldErrorText field />
        </fieldset>
    }
}
