//! The console's tables: one scrolling frame, a header row from translation keys (number
//! columns right-aligned), and the caller's rows.

use leptos::prelude::*;

use crate::i18n::t;

/// A column: its heading's translation key, and whether it holds numbers.
pub type Column = (&'static str, bool);

#[component]
pub fn DataTable(
    /// The columns, in order.
    columns: &'static [Column],
    /// What the table holds, for screen readers (the frame is a named region).
    #[prop(into)]
    label: Signal<String>,
    /// The rows (`<tr>`s).
    children: Children,
) -> impl IntoView {
    let heads = columns
        .iter()
        .map(|(key, numeric)| view! { <th scope="col" class=numeric.then_some("num")>{t(*key)}</th> })
        .collect_view();
    view! {
        // Focusable: a table wider than its frame scrolls from the keyboard too.
        <div class="table-scroll" role="region" tabindex="0" aria-label=move || label.get()>
            <table>
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
