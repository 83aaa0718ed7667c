//! `GET /api/events`: server-sent events of the caller's case updates.
//!
//! A player's stream covers their cases; `?case=NO&token=T` covers one tracked case (the
//! token comes from `POST /api/track/{no}/stream-token`; the key itself never goes into
//! a URL);
//! `?audience=console` covers, for a console session, the organisation's cases (every
//! case for platform staff).
//! Each message's id is the case event's id: on reconnect the browser sends
//! `Last-Event-ID` and everything after it is replayed from the database first, so
//! nothing is lost between connections. Live messages then follow from the hub; a
//! stream that falls behind the hub catches up from the database as well.
//! A tracking-link stream checks its key each time it catches up, and ends once the key
//! has been replaced.

use refund_api::ErrorCode;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use refund_api::CaseChanged;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{MaybePlayer, MaybeStaff, no_console_session};
use super::case_views::shanghai_time;
use super::openapi::{BadRequest, InternalError, NotFound, Unauthorized};
use super::track::refuse_key_in_url;
use crate::app::AppState;
use crate::error::{AppError, AppQuery, AppResult};
use crate::live::LiveEvent;
use crate::secrets::stream_token_expiry;
use crate::store::{EventSignal, StoreResult, StoredEvent};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// One message of the stream, as the spec shows it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Only its schema is used: messages are written by `to_message`.
struct StreamEvent {
    /// `ready` first on a new stream, then `case` for each change of a case.
    #[schema(pattern = "^(ready|case)$")]
    event: String,
    /// The case event's id (on `case` messages): sent back as `Last-Event-ID` to resume.
    id: Option<String>,
    /// JSON: `{}` for `ready`, a `CaseChanged` for `case`.
    data: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct StreamQuery {
    /// A tracked case's number (with `token`).
    case: Option<String>,
    /// A tracked case's stream token.
    token: Option<String>,
    /// `console` for a console session's stream.
    audience: Option<String>,
    /// For clients that cannot set headers: the last event id seen.
    last_event_id: Option<i64>,
}

/// Whose events a stream carries.
#[derive(Debug, Clone)]
enum Audience {
    Player {
        appid: String,
        openid: String,
    },
    /// A tracking link's stream; it ends once the key is replaced.
    Case {
        case_no: String,
        key_hash: String,
    },
    /// A console's stream: an organisation's cases, or every case (`None`).
    Org {
        org_id: Option<String>,
    },
}

impl Audience {
    /// Events after `after`, or `None` when this audience may no longer see them.
    async fn missed(&self, state: &AppState, after: i64) -> StoreResult<Option<Vec<StoredEvent>>> {
        match self {
            Self::Player { appid, openid } => state.store.player_events_after(appid, openid, after).await.map(Some),
            Self::Case { case_no, key_hash } => {
                if state.store.tracked_case(case_no, key_hash).await?.is_none() {
                    return Ok(None);
                }
                state.store.case_events_after(case_no, after).await.map(Some)
            }
            Self::Org { org_id } => state.store.org_events_after(org_id.as_deref(), after).await.map(Some),
        }
    }

    fn wants(&self, signal: &EventSignal) -> bool {
        match self {
            Self::Player { appid, openid } => *appid == signal.appid && *openid == signal.openid,
            Self::Case { case_no, .. } => *case_no == signal.case_no,
            Self::Org { org_id } => org_id.as_ref().is_none_or(|org| *org == signal.org_id),
        }
    }
}

/// Server-sent events of case changes: the player's cases (player session), one tracked
/// case (`case` and `token`), or the console's cases (`audience=console`). Each `case`
/// message's data is a `CaseChanged`; a new stream starts with a `ready` message.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    operation_id = "events",
    params(
        StreamQuery,
        ("Last-Event-ID" = Option<i64>, Header, description = "The last event id seen: the stream resumes after it."),
    ),
    responses(
        (status = 200, description = "The stream; the schema is of each event.", content_type = "text/event-stream", body = StreamEvent),
        BadRequest,
        Unauthorized,
        NotFound,
        InternalError,
    ),
    security((), ("player_session" = []), ("console_session" = []))
)]
async fn events(
    State(state): State<AppState>,
    MaybePlayer(player): MaybePlayer,
    MaybeStaff(staff): MaybeStaff,
    headers: HeaderMap,
    uri: Uri,
    AppQuery(query): AppQuery<StreamQuery>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    refuse_key_in_url(&uri)?;
    if query.audience.as_deref() == Some("console") {
        let staff = staff.ok_or_else(no_console_session)?;
        let audience = Audience::Org { org_id: staff.org_id };
        return Ok(open_stream(state, audience, &headers, query.last_event_id));
    }
    let audience = match (query.case, query.token, player) {
        (Some(case_no), Some(token), _) => tracked_audience(&state, case_no, &token).await?,
        (_, _, Some(player)) => Audience::Player {
            appid: player.appid,
            openid: player.openid,
        },
        _ => {
            return Err(AppError::Unauthorized(
                ErrorCode::NoSession,
                "Open the refund page from the game's menu, or use a tracking link.".to_owned(),
            ));
        }
    };
    Ok(open_stream(state, audience, &headers, query.last_event_id))
}

/// The audience of a tracked case's stream, if the token is valid for the current key.
async fn tracked_audience(state: &AppState, case_no: String, token: &str) -> AppResult<Audience> {
    let key_hash = state
        .store
        .tracking_key_hash(&case_no)
        .await?
        .ok_or(AppError::NotFound)?;
    let expires = stream_token_expiry(token, &key_hash, &case_no).ok_or(AppError::NotFound)?;
    if expires < state.clock.now().timestamp() {
        return Err(AppError::NotFound);
    }
    Ok(Audience::Case { case_no, key_hash })
}

/// The stream for `audience`, resuming after the `Last-Event-ID` header (or query).
fn open_stream(
    state: AppState,
    audience: Audience,
    headers: &HeaderMap,
    last_event_id: Option<i64>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .or(last_event_id);
    let closed = state.hub.closed();
    // Counted as open until the response drops the stream (it ended, or its client left).
    let open = state.metrics.stream_opened();
    let stream = event_stream(state, audience, last_seen)
        .take_until(closed)
        .inspect(move |_| {
            let _counted = &open;
        });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn event_stream(
    state: AppState,
    audience: Audience,
    last_seen: Option<i64>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    // Subscribe before reading the backlog, so nothing falls between the two.
    let receiver = state.hub.subscribe();
    futures::stream::unfold(
        (state, audience, receiver, last_seen, Vec::<StoredEvent>::new(), true),
        |(state, audience, mut receiver, mut last, mut pending, mut first)| async move {
            loop {
                if let Some(event) = pending.pop() {
                    last = Some(event.id);
                    let message = to_message(event);
                    return Some((Ok(message), (state, audience, receiver, last, pending, first)));
                }
                if first {
                    first = false;
                    if let Some(after) = last {
                        pending = catch_up(&state, &audience, after).await?;
                    } else {
                        // A new stream starts at the present: a later resync must not
                        // replay the history the page has already read.
                        last = Some(match state.store.latest_event_id().await {
                            Ok(latest) => latest,
                            Err(e) => {
                                tracing::error!(error = %e, "cannot read where the event log ends");
                                return None;
                            }
                        });
                        let hello = Event::default().event("ready").data("{}");
                        return Some((Ok(hello), (state, audience, receiver, last, pending, first)));
                    }
                    continue;
                }
                match receiver.recv().await.as_deref() {
                    Ok(LiveEvent::Case(signal)) if audience.wants(signal) => {
                        if last.is_some_and(|l| signal.event_id <= l) {
                            continue;
                        }
                        pending = catch_up(&state, &audience, last.unwrap_or(signal.event_id - 1)).await?;
                    }
                    Ok(LiveEvent::Case(_)) => {}
                    Ok(LiveEvent::Resync) | Err(RecvError::Lagged(_)) => {
                        pending = catch_up(&state, &audience, last.unwrap_or(0)).await?;
                    }
                    Err(RecvError::Closed) => return None,
                }
            }
        },
    )
}

/// Events after `after`, newest first (so `pop` yields the oldest); `None` ends the stream.
async fn catch_up(state: &AppState, audience: &Audience, after: i64) -> Option<Vec<StoredEvent>> {
    match audience.missed(state, after).await {
        Ok(Some(mut events)) => {
            events.reverse();
            Some(events)
        }
        Ok(None) => None,
        Err(e) => {
            tracing::error!(error = %e, "cannot replay case events");
            Some(Vec::new())
        }
    }
}

fn to_message(event: StoredEvent) -> Event {
    let id = event.id;
    let changed = CaseChanged {
        event_id: event.id,
        state: event.state,
        case_no: event.case_no,
        kind: event.kind.key().to_owned(),
        at: shanghai_time(event.at),
    };
    Event::default()
        .event("case")
        .id(id.to_string())
        .json_data(&changed)
        .unwrap_or_else(|_| Event::default().event("case").id(id.to_string()).data("{}"))
}
