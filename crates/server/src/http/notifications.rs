//! The notification centre: `GET /api/notifications` (the latest, and the unread count)
//! and `POST /api/notifications/read`, for whoever is signed in: a player (their cases),
//! a developer (their organisation's) or platform staff.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use refund_api::{MarkRead, NotificationList, NotificationView, StaffRole};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{CurrentPlayer, MaybeStaff};
use super::case_views::shanghai_time;
use super::openapi::{InternalError, JsonBodyErrors, Unauthorized};
use crate::app::AppState;
use crate::error::{AppError, AppJson, AppResult};
use crate::store::{PLATFORM_RECIPIENT, org_recipient, player_recipient};

/// How many notifications one look returns.
const LATEST: i64 = 50;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(read))
}

/// The address of the caller's notifications: a player's, an organisation's, or the
/// platform's. The console's session wins when a browser carries both.
#[derive(Debug, Clone)]
pub struct Reader(pub String);

impl FromRequestParts<AppState> for Reader {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let MaybeStaff(Some(staff)) = MaybeStaff::from_request_parts(parts, state).await? {
            return Ok(Self(match (staff.role, staff.org_id) {
                (StaffRole::Developer, Some(org)) => org_recipient(&org),
                _ => PLATFORM_RECIPIENT.to_owned(),
            }));
        }
        let CurrentPlayer(player) = CurrentPlayer::from_request_parts(parts, state).await?;
        Ok(Self(player_recipient(&player.appid, &player.openid)))
    }
}

/// The latest notifications and the unread count.
#[utoipa::path(
    get,
    path = "/notifications",
    tag = "notifications",
    operation_id = "list_notifications",
    responses(
        (status = 200, description = "The latest notifications, newest first.", body = NotificationList),
        Unauthorized,
        InternalError,
    ),
    security(("console_session" = []), ("player_session" = []))
)]
async fn list(State(state): State<AppState>, Reader(recipient): Reader) -> AppResult<AppJson<NotificationList>> {
    let (items, unread) = state.store.notifications(&recipient, LATEST).await?;
    Ok(AppJson(NotificationList {
        unread,
        items: items
            .into_iter()
            .map(|n| NotificationView {
                id: n.id,
                case_no: n.case_no,
                event_id: n.event_id,
                kind: n.kind,
                at: shanghai_time(n.created_at),
                read: n.read != 0,
            })
            .collect(),
    }))
}

/// Marks notifications read (all, or up to an id).
#[utoipa::path(
    post,
    path = "/notifications/read",
    tag = "notifications",
    operation_id = "mark_notifications_read",
    request_body = MarkRead,
    responses(
        (status = 200, description = "The notifications as they are now.", body = NotificationList),
        JsonBodyErrors,
        Unauthorized,
        InternalError,
    ),
    security(("console_session" = []), ("player_session" = []))
)]
async fn read(
    State(state): State<AppState>,
    Reader(recipient): Reader,
    AppJson(mark): AppJson<MarkRead>,
) -> AppResult<AppJson<NotificationList>> {
    state
        .store
        .mark_notifications_read(&recipient, mark.up_to, state.clock.now())
        .await?;
    list(State(state), Reader(recipient)).await
}
