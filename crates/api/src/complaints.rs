//! Complaints: what one is about, what the complainant asks for, and how to reach them.
//!
//! The contact rules live here because the form and the server must agree on them: a
//! mainland mobile number (spaces, dashes and `+86` tolerated) or an e-mail address.

use serde::{Deserialize, Deserializer, Serialize};

/// What a complaint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ComplaintCategory {
    BrokenFeature,
    PrivacyLeak,
    FalseAdvertising,
    FraudOrInducement,
    Other,
}

impl ComplaintCategory {
    pub const ALL: [Self; 5] = [
        Self::BrokenFeature,
        Self::PrivacyLeak,
        Self::FalseAdvertising,
        Self::FraudOrInducement,
        Self::Other,
    ];

    /// The wire name, e.g. `privacy_leak`: what serde writes and the form's value.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::BrokenFeature => "broken_feature",
            Self::PrivacyLeak => "privacy_leak",
            Self::FalseAdvertising => "false_advertising",
            Self::FraudOrInducement => "fraud_or_inducement",
            Self::Other => "other",
        }
    }
}

/// What the complainant asks for; a complaint may ask for several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Demand {
    Refund,
    Compensation,
    Fix,
    Explanation,
}

impl Demand {
    pub const ALL: [Self; 4] = [Self::Refund, Self::Compensation, Self::Fix, Self::Explanation];

    /// The wire name, e.g. `compensation`: what serde writes and the form's value.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Self::Refund => "refund",
            Self::Compensation => "compensation",
            Self::Fix => "fix",
            Self::Explanation => "explanation",
        }
    }
}

/// The complaint-specific part of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ComplaintInfo {
    pub category: ComplaintCategory,
    /// One or more, in the order of [`Demand::ALL`]. Complaints stored before several
    /// were allowed carry a single `demand`, which still reads.
    #[serde(alias = "demand", deserialize_with = "one_or_many")]
    pub demands: Vec<Demand>,
    /// A short title in the complainant's words.
    pub title: String,
    /// How the developer can reach the complainant: a mobile number or an e-mail address.
    /// Shown masked to anyone but the developer, who reveals it (and that is recorded).
    /// Left out of tracking views.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub contact: String,
}

/// A single demand (as stored before several were allowed) or a list of them. A visitor,
/// not an untagged enum: serde's untagged enums buffer the value first, which cost the
/// browser bundle several KB for this one field.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Demand>, D::Error> {
    struct OneOrMany;

    impl<'de> serde::de::Visitor<'de> for OneOrMany {
        type Value = Vec<Demand>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a demand or a list of demands")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Demand::deserialize(serde::de::value::StrDeserializer::<E>::new(value)).map(|d| vec![d])
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut demands = Vec::new();
            while let Some(demand) = seq.next_element()? {
                demands.push(demand);
            }
            Ok(demands)
        }
    }

    deserializer.deserialize_any(OneOrMany)
}

/// The longest contact accepted, in characters.
pub const CONTACT_MAX_CHARS: usize = 100;

/// A mainland China mobile number (`1[3-9]` and nine more digits), with spaces, dashes and a
/// `+86`/`86` prefix tolerated; returns the bare eleven digits.
#[must_use]
pub fn normalize_mainland_mobile(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .or_else(|| (digits.len() == 13).then(|| digits.strip_prefix("86")).flatten())
        .unwrap_or(&digits);
    let bytes = digits.as_bytes();
    let valid = bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1]);
    valid.then(|| digits.to_owned())
}

/// A contact as stored: a mobile number's eleven digits, or a trimmed e-mail address
/// (`local@domain.tld`, no spaces). `None` when it is neither.
#[must_use]
pub fn normalize_contact(input: &str) -> Option<String> {
    if let Some(phone) = normalize_mainland_mobile(input) {
        return Some(phone);
    }
    let email = input.trim();
    let (local, domain) = email.split_once('@')?;
    let well_formed = !local.is_empty()
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|part| !part.is_empty())
        && !email.chars().any(char::is_whitespace)
        && email.chars().count() <= CONTACT_MAX_CHARS;
    well_formed.then(|| email.to_owned())
}

/// `138****8000` or `z***@example.com`: enough to recognise one's own, not to use it.
#[must_use]
pub fn mask_contact(contact: &str) -> String {
    if let Some((local, domain)) = contact.split_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    let chars: Vec<char> = contact.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_normalised_or_refused() {
        assert_eq!(
            normalize_mainland_mobile("138 0013 8000").as_deref(),
            Some("13800138000")
        );
        assert_eq!(
            normalize_mainland_mobile("+86 139-0000-1111").as_deref(),
            Some("13900001111")
        );
        assert_eq!(
            normalize_mainland_mobile("8613900001111").as_deref(),
            Some("13900001111")
        );
        for bad in [
            "",
            "12800138000",
            "1380013800",
            "138001380000",
            "1380013800a",
            "010-12345678",
        ] {
            assert_eq!(normalize_mainland_mobile(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_contact_is_a_mobile_number_or_an_email_address() {
        assert_eq!(normalize_contact("+86 138 0013 8000").as_deref(), Some("13800138000"));
        assert_eq!(
            normalize_contact("  mum@example.com ").as_deref(),
            Some("mum@example.com")
        );
        for bad in [
            "",
            "mum",
            "mum@",
            "@example.com",
            "mum@example",
            "m um@example.com",
            "a@b@c.com",
            "mum@example..com",
        ] {
            assert_eq!(normalize_contact(bad), None, "{bad}");
        }
        assert_eq!(mask_contact("13800138000"), "138****8000");
        assert_eq!(mask_contact("mum@example.com"), "m***@example.com");
    }

    #[test]
    fn a_complaint_stored_with_one_demand_still_reads() {
        let old = r#"{"category":"other","demand":"fix","title":"t"}"#;
        let info: ComplaintInfo = serde_json::from_str(old).expect("reads");
        assert_eq!(info.demands, [Demand::Fix]);
        assert_eq!(info.contact, "");
        let new = r#"{"category":"other","demands":["refund","fix"],"title":"t","contact":"a@b.cn"}"#;
        let info: ComplaintInfo = serde_json::from_str(new).expect("reads");
        assert_eq!(info.demands, [Demand::Refund, Demand::Fix]);
    }
}
