//! Deciding a file's type from its bytes, never from its name or declared type.

use refund_api::MediaType;

/// How many leading bytes are enough to recognise every accepted type.
pub const SNIFF_LEN: usize = 64;

/// The accepted type these leading bytes begin, if any.
#[must_use]
pub fn sniff(head: &[u8]) -> Option<MediaType> {
    let kind = infer::get(head)?;
    match kind.mime_type() {
        "image/jpeg" => Some(MediaType::Jpeg),
        "image/png" => Some(MediaType::Png),
        "image/webp" => Some(MediaType::Webp),
        "image/heif" | "image/heic" => Some(MediaType::Heic),
        "video/mp4" => Some(MediaType::Mp4),
        "application/pdf" => Some(MediaType::Pdf),
        _ => None,
    }
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
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some(MediaType::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(MediaType::Png));
        assert_eq!(sniff(b"RIFF\x24\0\0\0WEBPVP8 "), Some(MediaType::Webp));
        assert_eq!(sniff(&ftyp(b"heic")), Some(MediaType::Heic));
        assert_eq!(sniff(&ftyp(b"isom")), Some(MediaType::Mp4));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
    }

    #[test]
    fn executables_text_and_empty_input_are_refused() {
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None);
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0"), None);
        assert_eq!(sniff(b"hello, this is text"), None);
        assert_eq!(sniff(b""), None);
    }
}
