//! The developer's deadline: a date and the working days left (or overdue).

use leptos::prelude::*;
use refund_api::{CaseState, Instant};

use crate::format;
use crate::i18n::{t, tf, tr};

/// Whether the developer owes an answer in this state (otherwise the deadline is history).
#[must_use]
pub fn awaits_developer(state: CaseState) -> bool {
    matches!(state, CaseState::Submitted | CaseState::Appealed)
}

/// "Due 2025-10-10 · 2 working days left".
#[component]
pub fn Deadline(
    /// End of the last working day the developer has.
    due_at: Instant,
    /// Working days left: 0 on the last day, negative once overdue.
    days_left: i64,
) -> impl IntoView {
    let day = format::date(&due_at);
    let iso = format::iso(&due_at);
    let left = move || match days_left {
        n if n > 0 => tf("deadline.days_left", &[("n", &n.to_string())]),
        0 => tr("deadline.last_day"),
        n => tf("deadline.overdue", &[("n", &(-n).to_string())]),
    };
    view! {
        <p class="deadline" class:overdue=days_left < 0>
            <span>{t("deadline.due")} " "<time datetime=iso>{day}</time></span>
            <span class="deadline-left">{left}</span>
        </p>
    }
}
