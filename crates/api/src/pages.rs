//! Which of the player's two web bundles serves a page.
//!
//! The player's app ships as two bundles so that neither first load carries the other's
//! code: the application bundle (home, launch, the application and complaint forms, help)
//! and the follow-up bundle (the player's cases, a case, its appeal, a tracking link,
//! notifications). The server answers each page's path with the `index.html` of the
//! bundle that has it; a bundle that is asked to show a page it does not have loads it
//! from the server instead (a full page load). Both sides read the split from here.

/// One of the player's web bundles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlayerBundle {
    /// Home, launch, the two forms, help, and any unknown path (its "not found" page).
    Apply,
    /// The player's cases, a case and its appeal, tracking links, notifications.
    Follow,
}

impl PlayerBundle {
    /// Where the follow-up bundle's files are served, beside the application bundle's.
    pub const FOLLOW_DIR: &'static str = "follow";

    /// The bundle that serves the page at `path` (a URL path, query excluded).
    #[must_use]
    pub fn serving(path: &str) -> Self {
        let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
        match first {
            "cases" | "track" | "notifications" => Self::Follow,
            _ => Self::Apply,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PlayerBundle::{self, Apply, Follow};

    #[test]
    fn each_page_has_one_bundle() {
        for (path, bundle) in [
            ("/", Apply),
            ("", Apply),
            ("/launch", Apply),
            ("/apply", Apply),
            ("/complaint", Apply),
            ("/help", Apply),
            ("/cases", Follow),
            ("/cases/", Follow),
            ("/cases/MR-2026-000001", Follow),
            ("/cases/MR-2026-000001/appeal", Follow),
            ("/track/MR-2026-000001", Follow),
            ("/notifications", Follow),
        ] {
            assert_eq!(PlayerBundle::serving(path), bundle, "{path}");
        }
    }

    #[test]
    fn only_whole_segments_count() {
        // A page whose name merely starts like a follow-up page is not one.
        assert_eq!(PlayerBundle::serving("/casesx"), Apply);
        assert_eq!(PlayerBundle::serving("/tracking"), Apply);
        assert_eq!(PlayerBundle::serving("/nope/cases"), Apply);
    }
}
