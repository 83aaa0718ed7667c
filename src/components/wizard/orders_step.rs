//! Step "orders": the player's payment orders as a checklist with a running total.

use leptos::prelude::*;
use refund_api::{CaseKind, OrderView};

use super::FormCtx;
use super::fields::FieldErrorText;
use super::progress::StepHeading;
use crate::draft::is_claimable;
use crate::form::{Step, error_id, input_id};
use crate::format;
use crate::i18n::{t, tf, tr};

/// Why an order cannot be chosen, if it cannot.
fn blocked_reason(order: &OrderView) -> Option<String> {
    if let Some(case_no) = &order.open_case {
        Some(tf("orders.in_open_case", &[("case", case_no)]))
    } else if order.refundable_fen <= 0 {
        Some(tr("orders.fully_refunded"))
    } else {
        None
    }
}

/// One order as a checkbox row.
#[component]
fn OrderRow(
    /// The order to show.
    order: OrderView,
) -> impl IntoView {
    let ctx = FormCtx::get();
    let id = format!("order-{}", order.order_no);
    let claimable = is_claimable(&order);
    let no = order.order_no.clone();
    let checked = {
        let no = no.clone();
        move || ctx.draft.with(|d| d.order_nos.contains(&no))
    };
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let no = no.clone();
        ctx.edit("order_nos", move |d| {
            d.order_nos.retain(|n| *n != no);
            if on {
                d.order_nos.push(no);
            }
        });
    };
    let partly_refunded = order.refunded_fen > 0 && claimable;
    let refundable = format::yuan(order.refundable_fen);
    let reason_id = format!("{id}-reason");
    let reason = !claimable;
    view! {
        <li class="order" class:blocked=!claimable>
            <input
                type="checkbox"
                id=id.clone()
                disabled=!claimable
                prop:checked=checked
                aria-describedby=reason.then(|| reason_id.clone())
                on:change=toggle
            />
            <label for=id>
                <span class="order-item">{order.item.clone()}</span>
                <span class="order-amount">{format::yuan(order.amount_fen)}</span>
                <span class="order-meta">
                    <time datetime=format::iso(&order.paid_at)>{format::date_time(&order.paid_at)}</time>
                    " · " {order.order_no.clone()}
                </span>
                {partly_refunded
                    .then(|| {
                        view! {
                            <span class="order-meta">
                                {move || tf("orders.refundable", &[("amount", &refundable)])}
                            </span>
                        }
                    })}
                {reason
                    .then(|| {
                        let order = order.clone();
                        view! {
                            <span class="order-reason" id=reason_id>
                                {move || blocked_reason(&order)}
                            </span>
                        }
                    })}
            </label>
        </li>
    }
}

#[component]
pub fn OrdersStep() -> impl IntoView {
    let ctx = FormCtx::get();
    let orders = ctx.orders.get_value();
    let empty = orders.is_empty();
    let total = move || {
        let (count, fen) = ctx
            .draft
            .with(|d| ctx.orders.with_value(|o| (d.order_nos.len(), d.chosen_total_fen(o))));
        // A complaint need not claim money: no "¥0.00 claimed" before an order is chosen.
        if count == 0 && ctx.kind == CaseKind::Complaint {
            return String::new();
        }
        tf(
            "orders.total",
            &[("count", &count.to_string()), ("amount", &format::yuan(fen))],
        )
    };
    let hint_key = match ctx.kind {
        CaseKind::MinorRefund => "orders.hint_refund",
        CaseKind::Complaint => "orders.hint_complaint",
    };
    let rows = orders
        .into_iter()
        .map(|order| view! { <OrderRow order /> })
        .collect_view();
    view! {
        <StepHeading step=Step::Orders />
        <p class="hint">{t(hint_key)}</p>
        <fieldset
            class="field orders"
            id=input_id("order_nos")
            tabindex="-1"
            aria-describedby=error_id("order_nos")
        >
            <legend>{t("orders.legend")}</legend>
            {empty.then(|| view! { <p class="empty">{t("orders.none")}</p> })}
            <ul class="order-list">{rows}</ul>
            <FieldErrorText field="order_nos" />
        </fieldset>
        <p class="total" aria-live="polite">{total}</p>
    }
}
