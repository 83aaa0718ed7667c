//! The application's one error type and how it becomes an HTTP response.
//!
//! Policy: every failure leaves as `{"error":{"code","message"}}`. User-facing variants
//! become 4xx with a message that says what to do; storage and unexpected errors are
//! logged with their cause and leave as an opaque 500. Malformed input is caught by
//! [`AppJson`] and the rejection mapping below, so even a broken body gets this shape.

use std::collections::BTreeMap;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request, multipart::MultipartError};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use refund_api::{ErrorBody, ErrorCode, ErrorDetail};

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input: 400 with a code the client can act on.
    #[error("{message}")]
    BadRequest { code: ErrorCode, message: String },
    /// Input that parses but breaks a rule; `field` points the form at the culprit.
    #[error("{message}")]
    Invalid {
        code: ErrorCode,
        message: String,
        field: Option<String>,
    },
    #[error("{1}")]
    Unauthorized(ErrorCode, String),
    /// Signed in, but as someone who may not do this.
    #[error("{1}")]
    Forbidden(ErrorCode, String),
    /// Too many attempts: try again after `retry_after_secs` (sent as `Retry-After`).
    #[error("{message}")]
    TooManyRequests {
        code: ErrorCode,
        message: String,
        retry_after_secs: u64,
    },
    #[error("not found")]
    NotFound,
    /// A 404 that says what was not found.
    #[error("{message}")]
    NotFoundWith { code: ErrorCode, message: String },
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    /// Something that existed and no longer does (an expired link).
    #[error("{message}")]
    Gone { code: ErrorCode, message: String },
    #[error("{message}")]
    TooLarge { code: ErrorCode, message: String },
    #[error("{message}")]
    UnsupportedMedia { code: ErrorCode, message: String },
    #[error("storage failed")]
    Storage(#[from] crate::store::StoreError),
    #[error("file storage failed")]
    Files(#[from] object_store::Error),
    #[error("internal error: {0}")]
    Internal(String),
    /// Another error, with values the app puts into its wording of the code.
    #[error("{error}")]
    WithParams {
        error: Box<AppError>,
        params: BTreeMap<String, String>,
    },
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A 422 for a rule broken by one field.
    pub fn invalid(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            message: message.into(),
            field: Some(field.into()),
        }
    }

    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Conflict {
            code,
            message: message.into(),
        }
    }

    /// Adds a value the app's wording of the code uses, e.g. `("order_no", "T123")`.
    #[must_use]
    pub fn with(self, name: &str, value: impl Into<String>) -> Self {
        let (error, mut params) = match self {
            Self::WithParams { error, params } => (error, params),
            other => (Box::new(other), BTreeMap::new()),
        };
        params.insert(name.to_owned(), value.into());
        Self::WithParams { error, params }
    }

    fn parts(&self) -> (StatusCode, ErrorCode, String, Option<String>) {
        match self {
            Self::WithParams { error, .. } => error.parts(),
            Self::BadRequest { code, message } => (StatusCode::BAD_REQUEST, *code, message.clone(), None),
            Self::Invalid { code, message, field } => {
                (StatusCode::UNPROCESSABLE_ENTITY, *code, message.clone(), field.clone())
            }
            Self::Unauthorized(code, message) => (StatusCode::UNAUTHORIZED, *code, message.clone(), None),
            Self::Forbidden(code, message) => (StatusCode::FORBIDDEN, *code, message.clone(), None),
            Self::TooManyRequests { code, message, .. } => {
                (StatusCode::TOO_MANY_REQUESTS, *code, message.clone(), None)
            }
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                "Nothing is here, or you may not see it.".to_owned(),
                None,
            ),
            Self::NotFoundWith { code, message } => (StatusCode::NOT_FOUND, *code, message.clone(), None),
            Self::Conflict { code, message } => (StatusCode::CONFLICT, *code, message.clone(), None),
            Self::Gone { code, message } => (StatusCode::GONE, *code, message.clone(), None),
            Self::TooLarge { code, message } => (StatusCode::PAYLOAD_TOO_LARGE, *code, message.clone(), None),
            Self::UnsupportedMedia { code, message } => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, *code, message.clone(), None)
            }
            Self::Storage(_) | Self::Files(_) | Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "Something went wrong on our side. Nothing you sent was lost; please try again.".to_owned(),
                None,
            ),
        }
    }
}

/// Builds the shared error body with a status.
pub fn error_response(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.key().to_owned(),
            message: message.into(),
            field: None,
            params: BTreeMap::new(),
        },
    };
    (status, axum::Json(body)).into_response()
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, field) = self.parts();
        let retry_after = match &self {
            Self::TooManyRequests { retry_after_secs, .. } => Some(*retry_after_secs),
            Self::WithParams { error, .. } => match error.as_ref() {
                Self::TooManyRequests { retry_after_secs, .. } => Some(*retry_after_secs),
                _ => None,
            },
            _ => None,
        };
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        }
        let params = match &self {
            Self::WithParams { params, .. } => params.clone(),
            _ => BTreeMap::new(),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.key().to_owned(),
                message,
                field,
                params,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(seconds) = retry_after
            && let Ok(value) = seconds.to_string().parse()
        {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => Self::UnsupportedMedia {
                code: ErrorCode::WrongContentType,
                message: "Send the body as JSON with Content-Type: application/json.".to_owned(),
            },
            JsonRejection::BytesRejection(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => Self::TooLarge {
                code: ErrorCode::BodyTooLarge,
                message: "The request body is larger than the server accepts.".to_owned(),
            },
            JsonRejection::JsonDataError(e) => Self::Invalid {
                code: ErrorCode::InvalidJson,
                message: e.body_text(),
                field: None,
            },
            other => Self::bad_request(ErrorCode::MalformedJson, other.body_text()),
        }
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        Self::bad_request(ErrorCode::MalformedQuery, rejection.body_text())
    }
}

impl From<MultipartError> for AppError {
    fn from(error: MultipartError) -> Self {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Self::TooLarge {
                code: ErrorCode::FileTooLarge,
                message: "The file is larger than the limit.".to_owned(),
            };
        }
        Self::bad_request(ErrorCode::MalformedUpload, error.body_text())
    }
}

/// `Json` whose rejections become [`AppError`], so malformed bodies keep the error shape.
#[derive(Debug, Clone, Copy, Default, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct AppJson<T>(pub T);

impl<T: serde::Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `Query` whose rejections become [`AppError`].
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct AppQuery<T>(pub T);

impl From<PathRejection> for AppError {
    /// A path segment that does not decode (not UTF-8) names nothing: the same 404 as an
    /// unknown id. Anything else is a route written wrongly.
    fn from(rejection: PathRejection) -> Self {
        match rejection {
            PathRejection::FailedToDeserializePathParams(_) => Self::NotFound,
            other => Self::Internal(other.body_text()),
        }
    }
}

/// `Path` whose rejections become [`AppError`].
#[derive(Debug, Clone, Copy, Default, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct AppPath<T>(pub T);

/// `Multipart` whose rejection (a body that is not `multipart/form-data` with a
/// boundary) is a 415 in the error shape.
#[derive(Debug)]
pub struct AppMultipart(pub Multipart);

impl<S: Send + Sync> FromRequest<S> for AppMultipart {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Multipart::from_request(request, state)
            .await
            .map(Self)
            .map_err(|_| Self::Rejection::UnsupportedMedia {
                code: ErrorCode::WrongContentType,
                message: "Send the form as multipart/form-data.".to_owned(),
            })
    }
}
