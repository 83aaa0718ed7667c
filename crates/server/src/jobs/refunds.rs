//! Settling refunds with the payment gateway, after the decision that reserved them.

use serde::Deserialize;

use crate::app::AppState;
use crate::payments::RefundOrder;

#[derive(Debug, Deserialize)]
struct Payload {
    refund_id: String,
}

/// Carries one refund out; the refund id is the gateway's idempotency key, so a rerun
/// of this job cannot pay twice, and a settled refund is not sent again.
pub async fn settle(state: &AppState, payload: &str) -> Result<(), String> {
    let Payload { refund_id } = serde_json::from_str(payload).map_err(|e| format!("bad payload: {e}"))?;
    let Some(refund) = state
        .store
        .unsettled_refund(&refund_id)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(());
    };
    let order = RefundOrder {
        refund_id: refund.refund_id,
        order_no: refund.order_no,
        amount_fen: refund.amount_fen,
    };
    let reference = state.gateway.refund(&order).await.map_err(|e| e.to_string())?;
    state
        .store
        .settle_refund(&order.refund_id, &reference, state.clock.now())
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(refund = %order.refund_id, amount = order.amount_fen, "refund settled");
    Ok(())
}
