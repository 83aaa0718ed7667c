//! Reading an [`Instant`](crate::Instant) (`#[serde(deserialize_with = ...)]` on each
//! field). chrono's own `Deserialize` goes through its general, relaxed parser; strict RFC
//! 3339, which is all the server writes, has a small parser of its own, and reading only
//! that keeps the general one out of the browser bundle (about 5 KB brotli). A test below
//! checks that no `Instant` field of this crate is read the other way.

use std::fmt;

use serde::Deserializer;
use serde::de::{Error, Visitor};

use crate::Instant;

struct Rfc3339;

impl Visitor<'_> for Rfc3339 {
    type Value = Instant;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an RFC 3339 date and time")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Instant, E> {
        chrono::DateTime::parse_from_rfc3339(value).map_err(E::custom)
    }
}

pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Instant, D::Error> {
    deserializer.deserialize_str(Rfc3339)
}

/// For `Option<Instant>` fields; they also need `#[serde(default)]`.
pub fn read_option<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Instant>, D::Error> {
    struct Maybe;

    impl<'de> Visitor<'de> for Maybe {
        type Value = Option<Instant>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an RFC 3339 date and time, or null")
        }

        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            read(deserializer).map(Some)
        }
    }

    deserializer.deserialize_option(Maybe)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use crate::Instant;

    #[derive(Deserialize)]
    struct Stamped {
        #[serde(deserialize_with = "crate::rfc3339::read")]
        at: Instant,
        #[serde(default, deserialize_with = "crate::rfc3339::read_option")]
        until: Option<Instant>,
    }

    #[test]
    fn what_the_server_writes_reads_back_with_its_offset() {
        let at: Instant = chrono::DateTime::parse_from_rfc3339("2026-11-23T10:00:00.25+08:00").expect("a time");
        let json = format!(r#"{{"at":{}}}"#, serde_json::to_string(&at).expect("written"));
        let read: Stamped = serde_json::from_str(&json).expect("read");
        assert_eq!((read.at, read.at.offset().local_minus_utc()), (at, 8 * 3600));
        assert_eq!(read.until, None);
        let read: Stamped = serde_json::from_str(r#"{"at":"2026-11-23T02:00:00Z","until":null}"#).expect("read");
        assert_eq!(read.at, at - chrono::Duration::milliseconds(250));
        let read: Stamped =
            serde_json::from_str(r#"{"at":"2026-11-23T02:00:00Z","until":"2026-11-24T02:00:00Z"}"#).expect("read");
        assert_eq!(read.until, Some(read.at + chrono::Duration::days(1)));
    }

    #[test]
    fn anything_but_rfc_3339_is_refused() {
        for json in [
            r#"{"at":"yesterday"}"#,
            r#"{"at":"2026-11-23"}"#,
            r#"{"at":1700000000}"#,
        ] {
            assert!(serde_json::from_str::<Stamped>(json).is_err(), "{json}");
        }
    }

    /// A new `Instant` field without the attribute would quietly bring chrono's general
    /// parser back into the browser bundle.
    #[test]
    fn every_instant_field_of_the_wire_types_is_read_here() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut unread = Vec::new();
        for entry in std::fs::read_dir(&dir).expect("the sources") {
            let path = entry.expect("an entry").path();
            let text = std::fs::read_to_string(&path).expect("a source");
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                let field = line.trim_start().trim_start_matches("pub ");
                let is_instant = field.ends_with(": Instant,")
                    || field.ends_with(": crate::Instant,")
                    || field.ends_with(": Option<Instant>,");
                // Fields of `FileRetention`'s variants are written only; it is read as `RetentionWire`.
                let written_only =
                    path.ends_with("privacy.rs") && matches!(field, "delete_at: Instant," | "deleted_at: Instant,");
                let read_here = lines[..i]
                    .iter()
                    .rev()
                    .take_while(|l| l.trim_start().starts_with("#["))
                    .any(|l| l.contains("rfc3339::read"));
                if is_instant && !written_only && !read_here {
                    unread.push(format!("{}:{}", path.display(), i + 1));
                }
            }
        }
        assert!(unread.is_empty(), "read without crate::rfc3339: {unread:?}");
    }
}
