//! `GET /api/orders`: the session player's orders in that game.

use axum::extract::State;
use refund_api::OrderView;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::CurrentPlayer;
use super::case_views::shanghai_time;
use super::openapi::{InternalError, Unauthorized};
use crate::app::AppState;
use crate::error::{AppJson, AppResult};
use crate::store::OrderRecord;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// The player's orders in the game they launched from.
#[utoipa::path(
    get,
    path = "/orders",
    tag = "cases",
    operation_id = "list_orders",
    responses(
        (status = 200, description = "The orders, with what is still refundable.", body = Vec<OrderView>),
        Unauthorized,
        InternalError,
    ),
    security(("player_session" = []))
)]
async fn list(
    State(state): State<AppState>,
    CurrentPlayer(player): CurrentPlayer,
) -> AppResult<AppJson<Vec<OrderView>>> {
    let orders = state.store.player_orders(&player.appid, &player.openid).await?;
    Ok(AppJson(orders.into_iter().map(order_view).collect()))
}

fn order_view(order: OrderRecord) -> OrderView {
    OrderView {
        refundable_fen: order.amount_fen - order.refunded_fen,
        order_no: order.order_no,
        item: order.item,
        amount_fen: order.amount_fen,
        refunded_fen: order.refunded_fen,
        paid_at: shanghai_time(order.paid_at),
        open_case: order.open_case,
    }
}
