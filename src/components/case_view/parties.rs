//! Who applied and about what: the guardian (phone masked) or the complaint's subject,
//! demands and contact (masked; the console puts its reveal button in its place).

use leptos::prelude::*;
use refund_api::{ComplaintInfo, Demand, GuardianView};

use crate::form::Step;
use crate::i18n::{keys, list, t, tr};

/// A section headed like the form step the facts were entered on.
#[component]
pub fn Parties(
    /// The guardian of a minor-refund case.
    guardian: Option<GuardianView>,
    /// The subject of a complaint.
    complaint: Option<ComplaintInfo>,
    /// What to show for the complaint's contact instead of its masked text.
    #[prop(optional)]
    contact: Option<AnyView>,
    /// Translation keys of the demands' and the contact's labels: the player's page says
    /// "your", a desk names the player (each app words its own).
    #[prop(default = ("complaint.demands", "complaint.contact"))]
    words: (&'static str, &'static str),
) -> impl IntoView {
    let (step, pairs) = match (guardian, complaint) {
        (Some(g), _) => {
            let birth = format!("{}-{:02}", g.minor_birth.year, g.minor_birth.month);
            let pairs = view! {
                <dt>{t("guardian.relation")}</dt>
                <dd>{t(keys::relation(g.relation))}</dd>
                <dt>{t("guardian.name")}</dt>
                <dd>{g.name}</dd>
                <dt>{t("guardian.phone")}</dt>
                <dd><span class="nowrap">{g.phone_masked}</span></dd>
                <dt>{t("guardian.minor_birth")}</dt>
                <dd>{birth}</dd>
            }
            .into_any();
            (Step::Guardian, pairs)
        }
        (None, Some(c)) => {
            let demands = c.demands.clone();
            // A tracking link's view has no contact at all.
            let contact = contact.or_else(|| (!c.contact.is_empty()).then(|| c.contact.clone().into_any()));
            let pairs = view! {
                <dt>{t("complaint.category")}</dt>
                <dd>{t(keys::complaint_category(c.category))}</dd>
                <dt>{t(words.0)}</dt>
                <dd>{move || demands_text(&demands)}</dd>
                <dt>{t("complaint.title")}</dt>
                <dd>{c.title}</dd>
                {contact.map(|contact| view! { <dt>{t(words.1)}</dt> <dd>{contact}</dd> })}
            }
            .into_any();
            (Step::About, pairs)
        }
        (None, None) => return None,
    };
    Some(view! {
        <section aria-labelledby="case-parties">
            <h2 id="case-parties">{t(step.title_key())}</h2>
            <dl class="pairs">{pairs}</dl>
        </section>
    })
}

/// The demands in words, as one list ("退款、修复问题" / "Refund, Fix the problem").
#[must_use]
pub fn demands_text(demands: &[Demand]) -> String {
    list(demands.iter().map(|d| tr(&keys::demand(*d))))
}
