//! The form's shared state in context: the draft, the errors, and step navigation.

use std::time::Duration;

use chrono::Datelike;
use leptos::prelude::*;
use refund_api::{CaseKind, OrderView, SessionView};
use wasm_bindgen::JsCast;

use super::upload_list::Uploads;
use crate::components::focus::focus_later;
use crate::draft::Draft;
use crate::form::{self, FieldError, FieldErrors, Step};

/// Everything the steps share. `Copy`: each field is a handle to reactive state.
#[derive(Clone, Copy)]
pub struct FormCtx {
    pub kind: CaseKind,
    pub draft: RwSignal<Draft>,
    pub errors: RwSignal<FieldErrors>,
    pub session: StoredValue<SessionView>,
    pub orders: StoredValue<Vec<OrderView>>,
    pub this_year: i32,
    pub storage_key: StoredValue<String>,
    /// Files being sent or failed, across steps.
    pub uploads: Uploads,
    pub upload_seq: StoredValue<u32>,
    /// Whether the player has agreed to the privacy notice (identity uploads wait for it).
    pub consented: RwSignal<bool>,
    /// Local previews (object URLs) of pictures uploaded from this page, by evidence id, so
    /// a thumbnail does not download again what was just sent.
    pub previews: StoredValue<std::collections::BTreeMap<String, String>>,
    /// The step shown was opened from the review to change it: "next" goes back there.
    pub from_review: RwSignal<bool>,
}

/// Focuses the first control marked invalid in document (screen) order once the view
/// shows the errors; `fallback` (an input's id) when none is found.
pub fn focus_first_invalid(fallback: String) {
    set_timeout(
        move || {
            let doc = document();
            let marked = doc.query_selector("main [aria-invalid='true']").ok().flatten();
            // A group (radios, the birth month) is marked on its fieldset: focus its first input.
            let control = marked.and_then(|el| {
                if matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON") {
                    Some(el)
                } else {
                    el.query_selector("input:not([disabled]), select:not([disabled]), textarea, button:not([disabled])")
                        .ok()
                        .flatten()
                }
            });
            let target = control.or_else(|| doc.get_element_by_id(&fallback));
            if let Some(el) = target.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.focus();
            }
        },
        Duration::ZERO,
    );
}

/// The id of every step's heading, which receives focus after a step change.
pub const STEP_HEADING_ID: &str = "step-heading";

impl FormCtx {
    #[must_use]
    pub fn get() -> Self {
        expect_context::<Self>()
    }

    #[must_use]
    pub fn steps(self) -> &'static [Step] {
        form::steps_for(self.kind)
    }

    /// A fresh id for an upload row.
    #[must_use]
    pub fn next_upload_id(self) -> u32 {
        self.upload_seq.update_value(|n| *n += 1);
        self.upload_seq.get_value()
    }

    /// Whether any file is still being sent (tracked).
    #[must_use]
    pub fn uploading(self) -> bool {
        self.uploads.with(|u| u.iter().any(|x| x.error.with(Option::is_none)))
    }

    /// The current step index, untracked.
    #[must_use]
    pub fn step_untracked(self) -> usize {
        self.draft.with_untracked(|d| d.step)
    }

    /// The current step index (tracked).
    #[must_use]
    pub fn step(self) -> usize {
        self.draft.with(|d| d.step)
    }

    /// The error beside `field`, if any (tracked).
    #[must_use]
    pub fn error(self, field: &str) -> Option<FieldError> {
        self.errors.with(|e| e.get(field).cloned())
    }

    /// Changes the draft from an input of `field`, clearing that field's error.
    pub fn edit(self, field: &str, change: impl FnOnce(&mut Draft)) {
        self.draft.update(change);
        if self.errors.with_untracked(|e| e.contains_key(field)) {
            self.errors.update(|e| {
                e.remove(field);
            });
        }
    }

    /// Shows `step` and moves focus to its heading.
    pub fn go_to(self, step: usize) {
        self.errors.set(FieldErrors::new());
        self.draft.update(|d| d.step = step.min(self.steps().len() - 1));
        focus_later(STEP_HEADING_ID.to_owned());
    }

    /// Leaves the current step if it is valid; otherwise shows why. A required file still
    /// on its way is said to be uploading rather than missing.
    pub fn next(self) {
        let index = self.draft.with_untracked(|d| d.step);
        let step = self.steps()[index];
        let mut errors = self
            .draft
            .with_untracked(|d| form::validate_step(d, step, self.this_year));
        if step == Step::Guardian && self.born_after_an_order() {
            errors.insert(
                "guardian.minor_birth".to_owned(),
                FieldError::key("invalid.birth_after_order"),
            );
        }
        self.uploads.with_untracked(|uploads| {
            for upload in uploads.iter().filter(|u| u.error.with_untracked(Option::is_none)) {
                if let Some(error) = errors.get_mut(&format!("evidence.{}", upload.category.key())) {
                    *error = FieldError::key("ev.wait_upload");
                }
            }
        });
        if errors.is_empty() {
            let review = self.steps().len() - 1;
            let to = if self.from_review.get_untracked() {
                review
            } else {
                index + 1
            };
            if to == review {
                self.from_review.set(false);
            }
            self.go_to(to);
        } else {
            self.show_errors(errors);
        }
    }

    /// Whether the birth month given is after the payment of a chosen order: the server
    /// refuses it, so the guardian step does too.
    fn born_after_an_order(self) -> bool {
        let Some((year, month)) = self
            .draft
            .with_untracked(|d| d.guardian.birth_year.zip(d.guardian.birth_month))
        else {
            return false;
        };
        let chosen = self.draft.with_untracked(|d| d.order_nos.clone());
        self.orders.with_value(|orders| {
            orders.iter().filter(|o| chosen.contains(&o.order_no)).any(|o| {
                let paid = crate::format::china_time(&o.paid_at);
                (year, month) > (paid.year(), paid.month())
            })
        })
    }

    pub fn back(self) {
        let index = self.draft.with_untracked(|d| d.step);
        self.go_to(index.saturating_sub(1));
    }

    /// Shows errors beside their fields, on the step of the first one, and focuses it.
    pub fn show_errors(self, errors: FieldErrors) {
        // The earliest step with an error is shown; within it, the first error on screen
        // (the errors are keyed by field name, which is not the order on screen).
        let first = errors
            .keys()
            .filter_map(|f| form::step_of_field(self.kind, f).map(|step| (step, f.clone())))
            .min_by_key(|(step, _)| *step);
        let Some((step, field)) = first.or_else(|| errors.keys().next().map(|f| (usize::MAX, f.clone()))) else {
            return;
        };
        if step != usize::MAX {
            self.draft.update(|d| d.step = step);
        }
        self.errors.set(errors);
        focus_first_invalid(form::input_id(&field));
    }
}
