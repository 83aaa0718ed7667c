//! How long a case's files are kept, said where the files are listed: kept while the case
//! can change, deleted on a given date once it has ended, or already deleted (and how many).

use leptos::prelude::*;
use refund_api::FileRetention;

use crate::components::dated::Dated;
use crate::format;
use crate::i18n::tf;

/// One line about the files' retention, for the player's and the developer's case page.
#[component]
pub fn Retention(
    /// Where the case's files stand.
    retention: FileRetention,
) -> impl IntoView {
    match retention {
        FileRetention::Kept { days } => {
            let days = days.to_string();
            view! { <p class="hint retention">{move || tf("retention.kept", &[("days", &days)])}</p> }.into_any()
        }
        FileRetention::Until { delete_at } => view! {
            <Dated
                key="retention.until"
                date=format::date(&delete_at)
                iso=format::iso(&delete_at)
                class="hint retention"
            />
        }
        .into_any(),
        FileRetention::Deleted { deleted_at, files } => view! {
            <Dated
                key="retention.deleted"
                date=format::date(&deleted_at)
                iso=format::iso(&deleted_at)
                class="notice retention"
                args=vec![("files", files.to_string())]
            />
        }
        .into_any(),
    }
}
