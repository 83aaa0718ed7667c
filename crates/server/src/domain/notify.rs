//! Who is told about what: the one place that maps a case event to the people it
//! concerns, and the words a notification carries outside the apps (webhooks), in both
//! languages.

use refund_api::{Actor, CaseState, EventKind};

/// Whom an event concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    /// The case's player (and, through the game's webhook, the game).
    Player,
    /// The developer organisation that owns the game.
    Developer,
    /// Platform staff, who review escalated cases.
    Platform,
}

/// The recipients of an event of `kind` caused by `actor` on a case now in `state`: while
/// the platform reviews a case, the messages of either side reach it too.
#[must_use]
pub fn recipients(kind: EventKind, actor: Actor, state: CaseState) -> &'static [Recipient] {
    use EventKind as K;
    use Recipient::{Developer, Platform, Player};
    match kind {
        K::Submitted | K::Withdrawn | K::Accepted | K::Appealed | K::DueSoon => &[Developer],
        K::Escalated => &[Developer, Platform],
        K::Decided | K::AppealDecided | K::PhoneRevealed | K::FilesDeleted => &[Player],
        K::PlatformDecided | K::Overdue | K::DeadlineExtended => &[Player, Developer],
        K::AppealOverdue => &[Player, Developer, Platform],
        K::Message => match (actor, state == CaseState::PlatformReview) {
            (Actor::Player, false) => &[Developer],
            (Actor::Player, true) => &[Developer, Platform],
            (Actor::Developer, false) => &[Player],
            (Actor::Developer, true) => &[Player, Platform],
            (Actor::Platform | Actor::System, _) => &[Player, Developer],
        },
    }
}

/// A notification's text as the game's own messages show it: `(Chinese, English)`.
#[must_use]
pub fn text(kind: EventKind) -> (&'static str, &'static str) {
    use EventKind as K;
    match kind {
        K::Submitted => (
            "退款申请已提交，开发者将在规定时间内答复。",
            "Your application was submitted; the developer will answer in time.",
        ),
        K::Decided => (
            "开发者已对您的申请作出处理决定，请查看。",
            "The developer has decided on your application; please have a look.",
        ),
        K::Appealed => ("申诉已提交。", "Your appeal was submitted."),
        K::AppealDecided => (
            "开发者已对您的申诉作出处理决定，请查看。",
            "The developer has decided on your appeal; please have a look.",
        ),
        K::Accepted => (
            "您已接受处理结果，案件已结束。",
            "You accepted the decision; the case is closed.",
        ),
        K::Escalated => ("已申请平台介入。", "You asked the platform to step in."),
        K::AppealOverdue => (
            "开发者逾期未处理申诉，平台将介入。",
            "The developer missed the appeal deadline; the platform will step in.",
        ),
        K::PlatformDecided => (
            "平台已作出最终决定，请查看。",
            "The platform has made its final decision; please have a look.",
        ),
        K::Withdrawn => ("您已撤回申请。", "You withdrew the application."),
        K::Overdue => (
            "开发者未在期限内答复，平台已记录。",
            "The developer did not answer in time; the platform has noted it.",
        ),
        K::Message => ("您有一条新留言。", "You have a new message."),
        K::PhoneRevealed => (
            "开发者已查看您的联系电话，可能会致电联系您。",
            "The developer viewed your phone number and may call you.",
        ),
        K::DueSoon => (
            "距离答复期限不足一个工作日。",
            "Less than one working day is left to answer.",
        ),
        K::DeadlineExtended => (
            "因开发者遇到不可抗力，平台已延长答复期限。",
            "The platform extended the developer's deadline for force majeure.",
        ),
        K::FilesDeleted => (
            "案件结束已满保存期限，您上传的材料文件已删除。",
            "Your case ended long enough ago that its uploaded files have been deleted.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reaches_someone_and_has_words_in_both_languages() {
        for kind in EventKind::ALL {
            for actor in Actor::ALL {
                assert!(
                    !recipients(kind, actor, CaseState::Submitted).is_empty(),
                    "{kind:?} by {actor:?}"
                );
            }
            let (zh, en) = text(kind);
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{kind:?}");
        }
    }

    #[test]
    fn a_message_goes_to_the_other_side() {
        let message = |actor, state| recipients(EventKind::Message, actor, state);
        assert_eq!(message(Actor::Player, CaseState::Submitted), &[Recipient::Developer]);
        assert_eq!(message(Actor::Developer, CaseState::Appealed), &[Recipient::Player]);
        assert_eq!(
            message(Actor::Player, CaseState::PlatformReview),
            &[Recipient::Developer, Recipient::Platform]
        );
        assert_eq!(
            message(Actor::Developer, CaseState::PlatformReview),
            &[Recipient::Player, Recipient::Platform]
        );
    }
}
