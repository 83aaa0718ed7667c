//! `POST /api/evidence` and its read-back: types from the bytes, limits, nothing left behind.

use refund_api::{EvidenceCategory, EvidenceView};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};

use crate::helpers::{
    LELE, SampleFile, TestApp, XIAOMING, assert_error, elf_named_as_png, exe_named_as_png, json_with, png, png_of_len,
    sample_of_each_type, spawn_app, spawn_app_with,
};

#[tokio::test]
async fn each_accepted_type_uploads_with_201_and_reads_back_byte_identical() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;

    for (media_type, file) in sample_of_each_type() {
        let response = app.upload_evidence(&xiaoming, "minor_proof", &file).await;
        let view: EvidenceView = json_with(response, StatusCode::CREATED).await;
        assert_eq!(view.media_type, media_type, "{}", file.name);
        assert_eq!(view.sha256, file.sha256(), "{}", file.name);
        assert_eq!(view.size, file.bytes.len() as u64, "{}", file.name);
        assert_eq!(view.category, EvidenceCategory::MinorProof);
        assert_eq!(view.file_name, file.name);

        let read = app.get_evidence(&xiaoming, &view.id).await;
        assert_eq!(read.status(), StatusCode::OK, "{}", file.name);
        let content_type = read
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert_eq!(content_type, media_type.mime(), "{}", file.name);
        let nosniff = read.headers().get(X_CONTENT_TYPE_OPTIONS).and_then(|v| v.to_str().ok());
        assert_eq!(nosniff, Some("nosniff"), "{}", file.name);
        assert_eq!(
            read.bytes().await.expect("body").as_ref(),
            file.bytes.as_slice(),
            "{}",
            file.name
        );
    }
}

#[tokio::test]
async fn the_type_comes_from_the_bytes_not_the_declared_type_or_name() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let (_, pdf) = sample_of_each_type().pop().expect("the PDF sample");
    let disguised = SampleFile::new("photo.jpg", "image/jpeg", pdf.bytes);

    let view: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "guardian_identity", &disguised).await,
        StatusCode::CREATED,
    )
    .await;

    assert_eq!(view.media_type, refund_api::MediaType::Pdf);
}

/// Uploads `file`, expects the refusal, and checks that no file was left in storage.
async fn assert_refused_without_trace(
    app: &TestApp,
    file: &SampleFile,
    status: StatusCode,
    code: &str,
) -> refund_api::ErrorDetail {
    let player = app.player(LELE).await;
    let before = app.evidence_files();

    let response = app.upload_evidence(&player, "screenshots", file).await;

    let error = assert_error(response, status, code).await;
    let after = app.evidence_files();
    assert_eq!(after, before, "a refused upload leaves no file behind");
    let staging = app.evidence_dir().join("staging");
    assert!(
        !after.iter().any(|f| f.starts_with(&staging)),
        "staging is empty: {after:?}"
    );
    error
}

/// The `found` parameter of an `unsupported_type` refusal: what the file really is.
fn found(error: &refund_api::ErrorDetail) -> Option<&str> {
    error.params.get("found").map(String::as_str)
}

#[tokio::test]
async fn a_renamed_executable_returns_415_unsupported_type_and_is_not_kept() {
    let app = spawn_app().await;

    for program in [elf_named_as_png(), exe_named_as_png()] {
        let error =
            assert_refused_without_trace(&app, &program, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_type").await;
        assert_eq!(found(&error), Some("program"), "{}", program.name);
    }
}

#[tokio::test]
async fn plain_text_named_as_a_pdf_returns_415_unsupported_type() {
    let app = spawn_app().await;
    let text = SampleFile::new("receipt.pdf", "application/pdf", b"just some words, not a PDF".to_vec());

    let error = assert_refused_without_trace(&app, &text, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_type").await;
    assert_eq!(found(&error), Some("text"), "the refusal says what the file really is");
}

#[tokio::test]
async fn an_empty_file_returns_422_empty_file_and_is_not_kept() {
    let app = spawn_app().await;
    let empty = SampleFile::new("empty.png", "image/png", Vec::new());

    assert_refused_without_trace(&app, &empty, StatusCode::UNPROCESSABLE_ENTITY, "empty_file").await;
}

#[tokio::test]
async fn one_byte_over_the_size_limit_returns_413_while_exactly_the_limit_is_accepted() {
    let app = spawn_app_with(|config| config.max_file_bytes = 1024).await;

    let error =
        assert_refused_without_trace(&app, &png_of_len(1025), StatusCode::PAYLOAD_TOO_LARGE, "file_too_large").await;
    assert_eq!(error.params.get("max_bytes").map(String::as_str), Some("1024"));

    let player = app.player(XIAOMING).await;
    let exact = png_of_len(1024);
    let view: EvidenceView = json_with(
        app.upload_evidence(&player, "minor_proof", &exact).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(view.size, 1024);
    assert_eq!(view.sha256, exact.sha256());
}

#[tokio::test]
async fn a_file_far_over_the_limit_returns_413_and_is_not_kept() {
    let app = spawn_app_with(|config| config.max_file_bytes = 1024).await;

    assert_refused_without_trace(
        &app,
        &png_of_len(256 * 1024),
        StatusCode::PAYLOAD_TOO_LARGE,
        "file_too_large",
    )
    .await;
}

#[tokio::test]
async fn more_files_than_a_case_takes_returns_422_too_many_files() {
    let app = spawn_app_with(|config| config.max_files_per_case = 2).await;
    let lele = app.player(LELE).await;
    for tag in 1..=2 {
        let response = app.upload_evidence(&lele, "screenshots", &png("shot.png", tag)).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let stored = app.evidence_files();
    assert_eq!(stored.len(), 2, "two distinct files stored: {stored:?}");

    let third = app.upload_evidence(&lele, "screenshots", &png("shot.png", 3)).await;

    let error = assert_error(third, StatusCode::UNPROCESSABLE_ENTITY, "too_many_files").await;
    assert!(
        error.message.contains('2'),
        "the message states the limit: {}",
        error.message
    );
    assert_eq!(app.evidence_files(), stored, "the refused file is not kept");
}

#[tokio::test]
async fn another_player_asking_for_a_file_gets_404() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let lele = app.player(LELE).await;
    let view: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "minor_proof", &png("mine.png", 7)).await,
        StatusCode::CREATED,
    )
    .await;

    assert_error(
        app.get_evidence(&lele, &view.id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.delete_evidence(&lele, &view.id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_eq!(
        app.get_evidence(&xiaoming, &view.id).await.status(),
        StatusCode::OK,
        "still there for its owner"
    );
}

#[tokio::test]
async fn reading_a_file_without_a_session_returns_401() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let view: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "minor_proof", &png("mine.png", 7)).await,
        StatusCode::CREATED,
    )
    .await;

    let response = app.get(&app.anonymous, &format!("/api/evidence/{}", view.id)).await;

    assert_error(response, StatusCode::UNAUTHORIZED, "no_session").await;
}

#[tokio::test]
async fn deleting_an_unattached_own_file_returns_204_and_then_it_is_gone() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let view: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "minor_proof", &png("mine.png", 9)).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(app.evidence_files().len(), 1);

    let deleted = app.delete_evidence(&xiaoming, &view.id).await;

    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_error(
        app.get_evidence(&xiaoming, &view.id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.delete_evidence(&xiaoming, &view.id).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert!(app.evidence_files().is_empty(), "the content went with its only record");
}

#[tokio::test]
async fn deleting_one_of_two_uploads_of_the_same_content_keeps_the_other_readable() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let file = png("same.png", 5);
    let first: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "minor_proof", &file).await,
        StatusCode::CREATED,
    )
    .await;
    let second: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "guardian_identity", &file).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(first.sha256, second.sha256);

    assert_eq!(
        app.delete_evidence(&xiaoming, &first.id).await.status(),
        StatusCode::NO_CONTENT
    );

    let read = app.get_evidence(&xiaoming, &second.id).await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.bytes().await.expect("body").as_ref(), file.bytes.as_slice());
}

#[tokio::test]
async fn an_upload_without_a_known_category_returns_422() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;

    let response = app.upload_evidence(&xiaoming, "passport", &png("p.png", 1)).await;

    let error = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "unknown_category").await;
    assert_eq!(error.field.as_deref(), Some("category"));
    assert!(app.evidence_files().is_empty());
}

#[tokio::test]
async fn a_byte_range_of_a_file_returns_206_with_just_those_bytes() {
    let app = spawn_app().await;
    let xiaoming = app.player(XIAOMING).await;
    let file = png_of_len(4096);
    let view: EvidenceView = json_with(
        app.upload_evidence(&xiaoming, "minor_proof", &file).await,
        StatusCode::CREATED,
    )
    .await;

    let url = app.url(&format!("/api/evidence/{}", view.id));
    let partial = xiaoming
        .client
        .get(&url)
        .header("range", "bytes=100-199")
        .send()
        .await
        .expect("request");
    assert_eq!(partial.status(), StatusCode::PARTIAL_CONTENT);
    let content_range = partial
        .headers()
        .get("content-range")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    assert_eq!(content_range.as_deref(), Some("bytes 100-199/4096"));
    assert_eq!(partial.bytes().await.expect("body").as_ref(), &file.bytes[100..200]);

    let beyond = xiaoming
        .client
        .get(&url)
        .header("range", "bytes=5000-")
        .send()
        .await
        .expect("request");
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
}

#[tokio::test]
async fn a_large_refused_upload_still_gets_its_error_answer_and_the_next_upload_works() {
    let app = spawn_app_with(|config| config.max_files_per_case = 1).await;
    let xiaoming = app.player(XIAOMING).await;
    let mut big_exe = exe_named_as_png();
    big_exe.bytes.resize(4 * 1024 * 1024, 0x90);
    assert_error(
        app.upload_evidence(&xiaoming, "minor_proof", &big_exe).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_type",
    )
    .await;

    let first = app
        .upload_evidence(&xiaoming, "minor_proof", &png_of_len(1024 * 1024))
        .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_error(
        app.upload_evidence(&xiaoming, "minor_proof", &png_of_len(2 * 1024 * 1024))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_files",
    )
    .await;
}
