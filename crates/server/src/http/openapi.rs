//! The HTTP contract as OpenAPI 3.1, generated from the handlers and served at
//! `GET /api/openapi.json`.
//!
//! Policy: a route exists only through its `#[utoipa::path]`: every module's router is an
//! [`OpenApiRouter`] fed by `routes!`, which registers the handler at the path and method
//! its annotation documents, so the spec cannot leave a route out (a test below refuses
//! routes added any other way). Each annotation lists every status its handler can answer;
//! errors name one of the shared responses declared here once per status, all with the
//! one error body [`ErrorBody`]. The one cross-cutting error, the `Origin` check's 403 on
//! every state-changing `/api` request (`edge.rs`), is added to those operations here.
//! The spec is the contract's source of truth; clients and the contract test
//! (`cargo xtask test`) read it from the running server.

use std::collections::BTreeMap;

use axum::Extension;
use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use refund_api::{CaseChanged, ErrorBody, ErrorCode, ErrorDetail, MediaType};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::{IntoResponses, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;

/// Security scheme of the player's session cookie (set by `POST /api/session/launch`).
pub const PLAYER_SESSION: &str = "player_session";
/// Security scheme of the console's session cookie (set by `POST /api/console/login`).
pub const CONSOLE_SESSION: &str = "console_session";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Refund Desk API",
        description = "The HTTP contract of Refund Desk: the player's pages, tracking links, the \
                       developer's and the platform's consoles. Money is integer fen. Every failure \
                       answers `{\"error\":{\"code\",\"message\",\"field\"?,\"params\"?}}`.",
    ),
    components(schemas(ErrorBody, ErrorDetail, ErrorCode, CaseChanged)),
    tags(
        (name = "session", description = "Launch from the game, the player's session and consent"),
        (name = "cases", description = "The player's orders, evidence and cases"),
        (name = "tracking", description = "Read-only tracking links"),
        (name = "events", description = "Live updates (server-sent events)"),
        (name = "notifications", description = "The notification centre of whoever is signed in"),
        (name = "console", description = "The developer's console and console sign-in"),
        (name = "platform", description = "Platform staff's review"),
        (name = "operations", description = "Health, readiness, metrics and this document"),
    )
)]
struct ApiDoc;

/// The spec's fixed parts: info, tags, the error schemas and the shared error responses.
#[must_use]
pub fn base() -> utoipa::openapi::OpenApi {
    let mut spec = ApiDoc::openapi();
    let components = spec.components.get_or_insert_with(Default::default);
    for (name, response) in error_responses() {
        components.responses.insert(name.to_owned(), RefOr::T(response));
    }
    spec
}

/// Completes `spec` with the session cookies' names and serialises it, ready to serve.
#[must_use]
pub fn finish(mut spec: utoipa::openapi::OpenApi, player_cookie: &str, console_cookie: &str) -> SpecJson {
    for (path, item) in &mut spec.paths.paths {
        let changes_state = [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete];
        for operation in changes_state.into_iter().flatten() {
            if path.starts_with("/api/") {
                operation.responses.responses.extend(Forbidden::responses());
            }
        }
    }
    let components = spec.components.get_or_insert_with(Default::default);
    let cookie = |name: &str, description: &str| {
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(name, description)))
    };
    components.add_security_scheme(
        PLAYER_SESSION,
        cookie(
            player_cookie,
            "The player's session, set by POST /api/session/launch (HttpOnly, SameSite=Strict).",
        ),
    );
    components.add_security_scheme(
        CONSOLE_SESSION,
        cookie(
            console_cookie,
            "A console session, set by POST /api/console/login (HttpOnly, SameSite=Strict).",
        ),
    );
    // Plain data with string keys: this cannot fail, and if it did the contract test
    // would fail on the empty document.
    let json = serde_json::to_vec(&spec).unwrap_or_else(|e| {
        tracing::error!(error = %e, "the OpenAPI document does not serialise");
        b"{}".to_vec()
    });
    SpecJson(Bytes::from(json))
}

/// The serialised spec, put into every request's extensions by the router.
#[derive(Debug, Clone)]
pub struct SpecJson(pub Bytes);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(document))
}

/// This document.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "operations",
    operation_id = "openapi_document",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", body = Object))
)]
async fn document(Extension(SpecJson(json)): Extension<SpecJson>) -> Response {
    ([(CONTENT_TYPE, "application/json")], json).into_response()
}

/// Declares the shared error responses, one per status; each type lists its status for
/// a handler's `responses(...)`.
macro_rules! error_statuses {
    ($($(#[doc = $doc:literal])* $name:ident = $status:literal;)*) => {
        $(
            $(#[doc = $doc])*
            #[derive(Debug)]
            pub struct $name;

            impl IntoResponses for $name {
                fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
                    BTreeMap::from([(
                        $status.to_string(),
                        RefOr::Ref(Ref::from_response_name(stringify!($name))),
                    )])
                }
            }
        )*

        /// Every shared error response, by component name.
        fn error_responses() -> Vec<(&'static str, utoipa::openapi::Response)> {
            vec![$((stringify!($name), error_response($status, concat!($($doc),*).trim()))),*]
        }
    };
}

error_statuses! {
    /// Malformed input: a body that is not JSON, a query, path or multipart form that does
    /// not parse, or a required header missing or malformed. `error.code` says which.
    BadRequest = 400;
    /// Not signed in (no session cookie, or an expired one), or credentials refused.
    Unauthorized = 401;
    /// Signed in as someone who may not do this, or a state-changing request sent from
    /// another site.
    Forbidden = 403;
    /// Nothing is here, or the caller may not see it (the two are not told apart).
    NotFound = 404;
    /// The request conflicts with the current state: already decided, reused, closed.
    Conflict = 409;
    /// It existed, and no longer works (an expired tracking link).
    Gone = 410;
    /// The body or a file is larger than the server accepts.
    PayloadTooLarge = 413;
    /// The body's type is not the one this operation reads, or a file's type is not accepted.
    UnsupportedMediaType = 415;
    /// The body parses but breaks a rule; `error.field` names the field when there is one.
    Unprocessable = 422;
    /// Too many attempts: wait for `Retry-After` seconds, then try again.
    TooManyRequests = 429;
    /// Something failed on the server's side; nothing the client sent was lost.
    InternalError = 500;
    /// A dependency (the database) does not answer.
    Unavailable = 503;
}

/// A shared error response: the description and the error body.
fn error_response(status: u16, description: &str) -> utoipa::openapi::Response {
    let mut response = ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ErrorBody")))
            .build(),
    );
    if status == 429 {
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)))
                .description(Some("Seconds to wait before trying again."))
                .build(),
        );
    }
    response.build()
}

/// The errors every JSON request body can meet: not JSON (400), too large (413), sent
/// without `Content-Type: application/json` (415), or not of the expected shape (422).
#[derive(Debug)]
pub struct JsonBodyErrors;

impl IntoResponses for JsonBodyErrors {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        [
            BadRequest::responses(),
            PayloadTooLarge::responses(),
            UnsupportedMediaType::responses(),
            Unprocessable::responses(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// A stored file (evidence, a force majeure report's file): its bytes with the type
/// sniffed at upload (200), a `Range` of them (206), or an unsatisfiable range (416).
#[derive(Debug)]
pub struct FileResponses;

impl IntoResponses for FileResponses {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        let binary = || {
            let mut content = ResponseBuilder::new();
            for media_type in MediaType::ALL {
                let schema = ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)));
                content = content.content(media_type.mime(), Content::new(Some(schema)));
            }
            content
        };
        let range_header = |description: &str| {
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::String))
                .description(Some(description))
                .build()
        };
        BTreeMap::from([
            (
                "200".to_owned(),
                RefOr::T(
                    binary()
                        .description("The file, with the type found in its bytes at upload.")
                        .build(),
                ),
            ),
            (
                "206".to_owned(),
                RefOr::T(
                    binary()
                        .description("The requested byte range of the file.")
                        .header("Content-Range", range_header("`bytes start-end/size`"))
                        .build(),
                ),
            ),
            (
                "416".to_owned(),
                RefOr::T(
                    ResponseBuilder::new()
                        .description("The `Range` cannot be satisfied (or is not one simple range).")
                        .header("Content-Range", range_header("`bytes */size`"))
                        .build(),
                ),
            ),
        ])
    }
}

pub use params::*;

/// Parameters shared by several operations, as the spec shows them.
#[allow(dead_code)] // Only their documentation is used: the handlers read the request themselves.
mod params {
    use utoipa::IntoParams;

    /// `{no}`: a case.
    #[derive(Debug, IntoParams)]
    #[into_params(parameter_in = Path)]
    pub struct CaseNo {
        /// The case number, e.g. `MR-2026-000001`.
        pub no: String,
    }

    /// `{id}`: an evidence file.
    #[derive(Debug, IntoParams)]
    #[into_params(parameter_in = Path)]
    pub struct EvidenceId {
        /// The evidence file's id.
        pub id: String,
    }

    /// `{no}` and `{id}`: one evidence file of a case.
    #[derive(Debug, IntoParams)]
    #[into_params(parameter_in = Path)]
    pub struct CaseEvidence {
        /// The case number.
        pub no: String,
        /// The evidence file's id.
        pub id: String,
    }

    /// `{id}`: a force majeure report.
    #[derive(Debug, IntoParams)]
    #[into_params(parameter_in = Path)]
    pub struct ReportId {
        /// The report's id.
        pub id: String,
    }

    /// `{id}` and `{file_id}`: one file of a force majeure report.
    #[derive(Debug, IntoParams)]
    #[into_params(parameter_in = Path)]
    pub struct ReportFile {
        /// The report's id.
        pub id: String,
        /// The file's id within the report.
        pub file_id: String,
    }

    /// The `Idempotency-Key` header of a submission.
    #[derive(Debug, IntoParams)]
    #[into_params(parameter_in = Header)]
    pub struct IdempotencyKey {
        /// 8 to 128 visible ASCII characters, the same for every retry of one request: a
        /// retry answers 200 with the first result, a different body under it 409.
        #[param(rename = "Idempotency-Key", min_length = 8, max_length = 128, pattern = "^[!-~]+$")]
        pub key: String,
    }

    /// The `X-Tracking-Key` header of a tracking link.
    #[derive(Debug, IntoParams)]
    #[into_params(parameter_in = Header)]
    pub struct TrackingKeyHeader {
        /// The case's tracking key (a link carries it after `#key=`). Never in the URL: a
        /// `key` query parameter is refused with 400.
        #[param(rename = "X-Tracking-Key")]
        pub key: String,
    }

    /// The `Range` header of a file read.
    #[derive(Debug, IntoParams)]
    #[into_params(parameter_in = Header)]
    pub struct ByteRange {
        /// One range, `bytes=start-end`, `bytes=start-` or `bytes=-length` (videos seek).
        #[param(rename = "Range")]
        pub range: Option<String>,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Routes are registered through `routes!` only, so none is left out of the spec.
    #[test]
    fn every_api_route_goes_through_the_spec() {
        // Every source file under src/http, its subfolders' too.
        let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http")];
        let mut files = Vec::new();
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("a folder of src/http") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    folders.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 10, "too few sources found: {files:?}");
        let mut undocumented = Vec::new();
        for path in files {
            // The web app's files are no part of the API.
            if path.file_name().is_some_and(|n| n == "spa.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            let calls = [".route", ".route_service", ".nest_service"].map(|call| format!("{call}("));
            for (n, line) in text.lines().enumerate() {
                if calls.iter().any(|call| line.contains(call.as_str())) && !line.trim_start().starts_with("//") {
                    undocumented.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
        assert!(
            undocumented.is_empty(),
            "routes registered outside `routes!` (so missing from /api/openapi.json):\n{}",
            undocumented.join("\n")
        );
    }
}
