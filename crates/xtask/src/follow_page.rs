//! The follow-up bundle's page, written from `index.html` before Trunk builds it: the same
//! static shell (header, page titles and leads in both languages, the script that picks
//! them), with a `<head>` that loads the `refund-follow` binary instead. One source for the
//! shell, so the two player pages cannot paint differently.
//!
//! The page is written to `target/follow/index.html`, so its paths to the stylesheet and
//! the manifest climb two folders. The favicon and the English catalog are copied by the
//! root page's build and served from the root, so this page copies neither. Each rewrite
//! must match `index.html` exactly once: a root page written otherwise fails the build
//! instead of producing a page that loads the wrong bundle or no style.

use std::path::{Path, PathBuf};

/// Where the page is written, relative to the project root (Trunk's build target).
pub const PAGE: &str = "target/follow/index.html";

/// The rewrites from the root page's `<head>` to the follow-up page's, in order.
const REWRITES: [(&str, &str); 4] = [
    (
        "    <link data-trunk rel=\"copy-file\" href=\"public/favicon.svg\" />\n",
        "    <!-- Written from ../../index.html by cargo xtask: the follow-up bundle's page. -->\n",
    ),
    (
        "    <link data-trunk rel=\"copy-file\" href=\"src/i18n/en.json\" data-target-path=\"i18n\" />\n",
        "",
    ),
    (
        "<link data-trunk rel=\"inline\" href=\"style/main.css\" />",
        "<link data-trunk rel=\"inline\" href=\"../../style/main.css\" />",
    ),
    (
        "      data-bin=\"refund-web\"\n",
        "      href=\"../../Cargo.toml\"\n      data-bin=\"refund-follow\"\n",
    ),
];

/// Writes the follow-up page from the root page; returns its path.
pub fn write(root: &Path) -> Result<PathBuf, String> {
    let source = root.join("index.html");
    let page = std::fs::read_to_string(&source).map_err(|e| format!("{}: {e}", source.display()))?;
    let target = root.join(PAGE);
    let folder = target.parent().ok_or("the follow-up page has no folder")?;
    std::fs::create_dir_all(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    std::fs::write(&target, follow_up(&page)?).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(target)
}

/// The follow-up page for the root page `page`.
fn follow_up(page: &str) -> Result<String, String> {
    let body_at = page.find("<body>").ok_or("index.html has no <body>")?;
    let (mut head, body) = (page[..body_at].to_owned(), &page[body_at..]);
    for (from, to) in REWRITES {
        match head.matches(from).count() {
            1 => head = head.replacen(from, to, 1),
            n => return Err(format!("index.html's <head> has {n} of {from:?}, not one")),
        }
    }
    Ok(head + body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root_page() -> String {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../index.html")).expect("index.html")
    }

    #[test]
    fn the_follow_up_page_loads_its_own_bundle_with_the_same_shell() {
        let root = root_page();
        let page = follow_up(&root).expect("rewritten");
        let body = |html: &str| html[html.find("<body>").expect("a body")..].to_owned();
        assert_eq!(body(&page), body(&root));
        assert!(page.contains("data-bin=\"refund-follow\""));
        assert!(!page.contains("data-bin=\"refund-web\""));
        assert!(page.contains("href=\"../../style/main.css\""));
        assert!(page.contains("href=\"../../Cargo.toml\""));
        assert!(
            !page.contains("rel=\"copy-file\""),
            "the root page's build copies the files"
        );
    }

    #[test]
    fn a_root_page_of_another_shape_fails_the_build() {
        let root = root_page();
        let moved = root.replace("data-bin=\"refund-web\"", "data-bin=\"refund-apply\"");
        assert!(follow_up(&moved).unwrap_err().contains("refund-web"));
        let twice = root.replace(
            "</head>",
            "<link data-trunk rel=\"inline\" href=\"style/main.css\" />\n</head>",
        );
        assert!(follow_up(&twice).unwrap_err().contains("has 2 of"));
        assert!(follow_up("<html></html>").is_err());
    }
}
