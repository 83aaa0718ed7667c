//! A sentence with a date in it (`{date}` in its translation), the date in a `<time>` that
//! never breaks across lines ("2026-11-/24" on a narrow phone), in either language.

use leptos::prelude::*;

use crate::i18n::tf;

/// The text of `key` around its `{date}` placeholder: `(before, after)`; the whole text
/// before it when the translation has no placeholder.
#[must_use]
pub fn around_date(template: &str) -> (String, String) {
    match template.split_once("{date}") {
        Some((before, after)) => (before.to_owned(), after.to_owned()),
        None => (template.to_owned(), String::new()),
    }
}

/// `key`'s sentence with `date` (as shown) and `iso` (machine-readable) in its place, as a
/// paragraph of `class`; `args` fill the sentence's other placeholders.
#[component]
pub fn Dated(
    key: &'static str,
    date: String,
    iso: String,
    #[prop(optional)] class: &'static str,
    #[prop(optional)] args: Vec<(&'static str, String)>,
) -> impl IntoView {
    move || {
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (before, after) = around_date(&tf(key, &args));
        view! { <p class=class>{before}<time datetime=iso.clone()>{date.clone()}</time>{after}</p> }
    }
}

#[cfg(test)]
mod tests {
    use super::around_date;

    #[test]
    fn the_date_is_cut_out_of_the_sentence() {
        assert_eq!(
            around_date("可以在 {date} 前申诉。"),
            ("可以在 ".to_owned(), " 前申诉。".to_owned())
        );
        assert_eq!(around_date("No date."), ("No date.".to_owned(), String::new()));
    }
}
