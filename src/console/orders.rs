//! The claimed orders as the developer checks them: when paid, how much, what is refunded
//! and still refundable (with a bar for the share refunded), and the minor's age then.

use leptos::prelude::*;
use refund_api::ConsoleOrder;

use super::table::{Column, DataTable};
use crate::format;
use crate::i18n::{t, tf};

// The minor's age comes right after the order: it decides a minor refund, and must not
// be the column a narrow window scrolls out of sight.
const COLUMNS: &[Column] = &[
    ("console.orders.order", false),
    ("console.orders.minor_age", false),
    ("console.orders.item", false),
    ("console.orders.paid_at", false),
    ("console.orders.amount", true),
    ("console.orders.refunded", true),
    ("console.orders.refundable", true),
];

/// Percent of the amount already refunded, for the bar (0 to 100).
#[must_use]
pub fn refunded_percent(order: &ConsoleOrder) -> i64 {
    if order.order.amount_fen <= 0 {
        return 0;
    }
    (order.refunded_fen.clamp(0, order.order.amount_fen) * 100) / order.order.amount_fen
}

#[component]
pub fn OrdersTable(
    /// The case's orders.
    orders: Vec<ConsoleOrder>,
) -> impl IntoView {
    if orders.is_empty() {
        return view! { <p>{t("case.no_orders")}</p> }.into_any();
    }
    let rows = orders
        .into_iter()
        .map(|o| {
            let percent = refunded_percent(&o);
            let age = o.minor_age.map(|age| {
                let minor = age < 18;
                view! {
                    <span class=if minor { "age minor" } else { "age adult" }>
                        {move || tf("console.orders.age", &[("age", &age.to_string())])}
                    </span>
                }
            });
            view! {
                <tr>
                    <th scope="row">{o.order.order_no.clone()}</th>
                    <td>{age}</td>
                    <td>{o.order.item.clone()}</td>
                    <td><time datetime=format::iso(&o.order.paid_at)>{format::date_time(&o.order.paid_at)}</time></td>
                    <td class="num">{format::yuan(o.order.amount_fen)}</td>
                    <td class="num">
                        {format::yuan(o.refunded_fen)}
                        <span class="meter" aria-hidden="true"><span style:width=format!("{percent}%")></span></span>
                    </td>
                    <td class="num">{format::yuan(o.refundable_fen)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <DataTable columns=COLUMNS label=Signal::derive(t("console.orders.table"))>{rows}</DataTable>
    }
    .into_any()
}
