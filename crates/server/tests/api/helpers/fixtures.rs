//! Test data: small real files of each accepted type, applications, idempotency keys.

use chrono::{Datelike, Utc};
use refund_api::{
    CaseCreated, CaseKind, ComplaintCategory, ComplaintInfo, Demand, EvidenceView, GuardianInfo, MediaType, NewCase,
    Relation, YearMonth,
};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

use super::{Player, TestApp, json_with};

/// A file as a browser would send it: name, declared type and bytes.
#[derive(Debug, Clone)]
pub struct SampleFile {
    pub name: String,
    pub declared_type: String,
    pub bytes: Vec<u8>,
}

impl SampleFile {
    pub fn new(name: &str, declared_type: &str, bytes: Vec<u8>) -> Self {
        Self {
            name: name.to_owned(),
            declared_type: declared_type.to_owned(),
            bytes,
        }
    }

    /// The hex SHA-256 of the bytes, computed here independently of the server.
    #[must_use]
    pub fn sha256(&self) -> String {
        hex::encode(Sha256::digest(&self.bytes))
    }
}

/// A complete 1x1 PNG.
pub const PNG_1X1: [u8; 67] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// A PNG whose bytes differ per `tag`, so uploads are distinct content.
#[must_use]
pub fn png(name: &str, tag: u8) -> SampleFile {
    let mut bytes = PNG_1X1.to_vec();
    bytes.extend_from_slice(&[tag; 16]);
    SampleFile::new(name, "image/png", bytes)
}

/// An ISO base media file: an `ftyp` box with `brand`, then some payload.
fn iso_media(brand: &[u8; 4]) -> Vec<u8> {
    let mut bytes = vec![0, 0, 0, 0x18];
    bytes.extend_from_slice(b"ftyp");
    bytes.extend_from_slice(brand);
    bytes.extend_from_slice(&[0, 0, 0, 0]);
    bytes.extend_from_slice(brand);
    bytes.extend_from_slice(b"mif1");
    bytes.extend_from_slice(&[0, 0, 0, 0x10]);
    bytes.extend_from_slice(b"free");
    bytes.extend_from_slice(&[0x5A; 8]);
    bytes
}

/// One small file of each accepted type, with the type the server must find in it.
#[must_use]
pub fn sample_of_each_type() -> Vec<(MediaType, SampleFile)> {
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    jpeg.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    jpeg.extend_from_slice(&[0x42; 48]);
    jpeg.extend_from_slice(&[0xFF, 0xD9]);

    let mut webp = b"RIFF".to_vec();
    webp.extend_from_slice(&26u32.to_le_bytes());
    webp.extend_from_slice(b"WEBPVP8 ");
    webp.extend_from_slice(&[0x24; 18]);

    let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec();

    vec![
        (MediaType::Jpeg, SampleFile::new("photo.jpg", "image/jpeg", jpeg)),
        (
            MediaType::Png,
            SampleFile::new("screen.png", "image/png", PNG_1X1.to_vec()),
        ),
        (MediaType::Webp, SampleFile::new("shot.webp", "image/webp", webp)),
        (
            MediaType::Heic,
            SampleFile::new("IMG_0001.HEIC", "image/heic", iso_media(b"heic")),
        ),
        (
            MediaType::Mp4,
            SampleFile::new("recording.mp4", "video/mp4", iso_media(b"isom")),
        ),
        (MediaType::Pdf, SampleFile::new("register.pdf", "application/pdf", pdf)),
    ]
}

/// A Linux executable dressed up as a photo.
#[must_use]
pub fn elf_named_as_png() -> SampleFile {
    let mut bytes = b"\x7fELF\x02\x01\x01\0".to_vec();
    bytes.extend_from_slice(&[0; 120]);
    SampleFile::new("photo.png", "image/png", bytes)
}

/// A Windows executable dressed up as a photo.
#[must_use]
pub fn exe_named_as_png() -> SampleFile {
    let mut bytes = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
    bytes.extend_from_slice(&[0; 112]);
    SampleFile::new("photo.png", "image/png", bytes)
}

/// `len` bytes that begin like a PNG.
#[must_use]
pub fn png_of_len(len: usize) -> SampleFile {
    let mut bytes = PNG_1X1.to_vec();
    bytes.resize(len, 0x11);
    SampleFile::new("big.png", "image/png", bytes)
}

/// A fresh Idempotency-Key, as the app makes one per submission.
#[must_use]
pub fn idempotency_key() -> String {
    format!("submit-{}", refund_server::secrets::random_token(12))
}

/// A minor refund the rules accept, given valid evidence ids.
#[must_use]
pub fn minor_refund(order_nos: &[&str], evidence_ids: Vec<String>) -> NewCase {
    NewCase {
        kind: CaseKind::MinorRefund,
        order_nos: order_nos.iter().map(|&no| no.to_owned()).collect(),
        guardian: Some(GuardianInfo {
            relation: Relation::Mother,
            name: "王芳".to_owned(),
            phone: "138 0013 8000".to_owned(),
            minor_birth: YearMonth {
                year: Utc::now().year() - 10,
                month: 3,
            },
        }),
        complaint: None,
        narrative: "周末孩子用我的手机玩游戏，趁我不注意多次充值购买钻石，我看到扣款短信才发现。".to_owned(),
        evidence_ids,
    }
}

/// A complaint without orders or evidence.
#[must_use]
pub fn complaint() -> NewCase {
    NewCase {
        kind: CaseKind::Complaint,
        order_nos: Vec::new(),
        guardian: None,
        complaint: Some(ComplaintInfo {
            category: ComplaintCategory::BrokenFeature,
            demands: vec![Demand::Fix],
            title: "每日签到奖励领取后消失".to_owned(),
            contact: "13900001111".to_owned(),
        }),
        narrative: "连续三天签到后点击领取奖励，提示成功但背包里没有任何道具，重新登录也没有。".to_owned(),
        evidence_ids: Vec::new(),
    }
}

/// The three files a minor refund cannot go without, uploaded; returns their ids.
pub async fn upload_required_evidence(app: &TestApp, player: &Player) -> Vec<String> {
    let mut ids = Vec::new();
    for (tag, category) in [(1, "minor_proof"), (2, "guardianship_proof"), (3, "guardian_identity")] {
        let file = png(&format!("{category}.png"), tag);
        let view: EvidenceView =
            json_with(app.upload_evidence(player, category, &file).await, StatusCode::CREATED).await;
        ids.push(view.id);
    }
    ids
}

/// Uploads the required evidence and submits a minor refund for `order_nos`.
pub async fn submit_minor_refund(app: &TestApp, player: &Player, order_nos: &[&str]) -> CaseCreated {
    let evidence = upload_required_evidence(app, player).await;
    let response = app
        .post_case(player, Some(&idempotency_key()), &minor_refund(order_nos, evidence))
        .await;
    json_with(response, StatusCode::CREATED).await
}

/// The developer's decision to refund everything claimed.
#[must_use]
pub fn full_refund() -> refund_api::DecisionRequest {
    refund_api::DecisionRequest {
        outcome: refund_api::Outcome::Full,
        refunds: Vec::new(),
        reason: None,
        note: String::new(),
    }
}

/// A complaint without orders, submitted by `player`.
pub async fn submit_complaint(app: &TestApp, player: &Player) -> CaseCreated {
    let response = app.post_case(player, Some(&idempotency_key()), &complaint()).await;
    super::json_with(response, reqwest::StatusCode::CREATED).await
}
