//! The payment gateway refunds go through. A real gateway calls the payment provider's
//! refund API; the built-in one records each refund in the local ledger (the `refunds`
//! table) and gives it a reference.
//!
//! Policy: refunds are decided and reserved in the database first (the order's refunded
//! amount rises in the decision's transaction), then a job settles each with the gateway,
//! passing the refund id as the provider's idempotency key, so a retried job cannot pay
//! twice.

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

/// One refund to carry out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundOrder {
    /// Also the idempotency key at the provider.
    pub refund_id: String,
    pub order_no: String,
    pub amount_fen: i64,
}

/// Why the gateway did not carry a refund out (the job retries with backoff).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the payment gateway refused: {0}")]
pub struct GatewayError(pub String);

/// Carries refunds out; returns the provider's reference.
pub trait PaymentGateway: Send + Sync + Debug {
    fn refund<'a>(
        &'a self,
        order: &'a RefundOrder,
    ) -> Pin<Box<dyn Future<Output = Result<String, GatewayError>> + Send + 'a>>;
}

/// The built-in gateway: the local ledger is the record; the reference names it.
#[derive(Debug, Default, Clone, Copy)]
pub struct LedgerGateway;

impl PaymentGateway for LedgerGateway {
    fn refund<'a>(
        &'a self,
        order: &'a RefundOrder,
    ) -> Pin<Box<dyn Future<Output = Result<String, GatewayError>> + Send + 'a>> {
        Box::pin(async move { Ok(format!("LEDGER-{}", order.refund_id)) })
    }
}
