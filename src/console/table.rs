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
    /// Translation key of a caption for screen readers, when the page heading is not enough.
    #[prop(optional)]
    caption: Option<&'static str>,
    /// The rows (`<tr>`s).
    children: Children,
) -> impl IntoView {
    let heads = columns
        .iter()
        .map(|(key, numeric)| view! { <th scope="col" class=numeric.then_some("num")>{t(*key)}</th> })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table>
                {caption.map(|key| view! { <caption class="visually-hidden">{t(key)}</caption> })}
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
