//! Deciding a file's type from its bytes, never from its name or declared type.

use infer::MatcherType;
use refund_api::{FoundKind, MediaType};

/// How many leading bytes are enough to recognise every accepted type.
pub const SNIFF_LEN: usize = 64;

/// The accepted type these leading bytes begin, or what the file was found to be instead
/// (so the refusal can say "this is really a text file").
pub fn sniff(head: &[u8]) -> Result<MediaType, FoundKind> {
    let Some(kind) = infer::get(head) else {
        return Err(unrecognised(head));
    };
    match kind.mime_type() {
        "image/jpeg" => Ok(MediaType::Jpeg),
        "image/png" => Ok(MediaType::Png),
        "image/webp" => Ok(MediaType::Webp),
        "image/heif" | "image/heic" => Ok(MediaType::Heic),
        "video/mp4" => Ok(MediaType::Mp4),
        "application/pdf" => Ok(MediaType::Pdf),
        _ => Err(match kind.matcher_type() {
            MatcherType::Image => FoundKind::OtherImage,
            MatcherType::Video => FoundKind::OtherVideo,
            MatcherType::Audio => FoundKind::Audio,
            MatcherType::Archive => FoundKind::Archive,
            MatcherType::Doc | MatcherType::Book => FoundKind::Document,
            MatcherType::App => FoundKind::Program,
            MatcherType::Text => FoundKind::Text,
            MatcherType::Font | MatcherType::Custom => FoundKind::Unknown,
        }),
    }
}

/// Text when the head is readable UTF-8 (a multi-byte character cut at the end of the head
/// still counts); anything else unnamed.
fn unrecognised(head: &[u8]) -> FoundKind {
    let readable = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
        Err(_) => return FoundKind::Unknown,
    };
    let printable = !readable.is_empty()
        && readable
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'));
    if printable { FoundKind::Text } else { FoundKind::Unknown }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(brand: &[u8; 4]) -> Vec<u8> {
        let mut v = vec![0, 0, 0, 0x18];
        v.extend_from_slice(b"ftyp");
        v.extend_from_slice(brand);
        v.extend_from_slice(&[0, 0, 0, 0]);
        v.extend_from_slice(brand);
        v.extend_from_slice(b"mif1");
        v
    }

    #[test]
    fn each_accepted_type_is_recognised_from_its_signature() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Ok(MediaType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok(MediaType::Png));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Ok(MediaType::Webp));
        assert_eq!(sniff(&ftyp(b"heic")), Ok(MediaType::Heic));
        assert_eq!(sniff(&ftyp(b"isom")), Ok(MediaType::Mp4));
        assert_eq!(sniff(b"%PDF-1.7\n"), Ok(MediaType::Pdf));
    }

    #[test]
    fn refused_files_are_named_for_what_they_really_are() {
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), Err(FoundKind::Program));
        let mut elf = b"\x7fELF\x02\x01\x01\0".to_vec();
        elf.resize(SNIFF_LEN, 0);
        assert_eq!(sniff(&elf), Err(FoundKind::Program));
        assert_eq!(sniff(b"hello, this is text\n"), Err(FoundKind::Text));
        assert_eq!(sniff("退款说明：孩子用我的手机".as_bytes()), Err(FoundKind::Text));
        assert_eq!(
            sniff(&"退款说明".as_bytes()[..10]),
            Err(FoundKind::Text),
            "a character cut at the end"
        );
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Err(FoundKind::OtherImage));
        assert_eq!(sniff(b"PK\x03\x04\x14\0\0\0\x08\0"), Err(FoundKind::Archive));
        assert_eq!(sniff(b"\0\x01\x02\x03garbage"), Err(FoundKind::Unknown));
        assert_eq!(sniff(b""), Err(FoundKind::Unknown));
    }
}
