//! Names the follow-up bundle's files in the application bundle's page, so the form can
//! fetch them ahead (`src/prefetch.rs`) and the case page opens at once after submitting.
//! The names carry content hashes, known only after both builds; this writes them into
//! `dist/index.html` as `<meta name="refund-follow-up" content="/follow/…js /follow/…wasm">`.
//! A page without them, or with more than one of either, fails the build rather than
//! shipping a form that prefetches nothing.

use std::path::Path;

/// The `<meta>` name the app reads (src/prefetch.rs).
const META_NAME: &str = "refund-follow-up";

/// Writes the follow-up bundle's glue and wasm paths, read from its page, into the
/// application bundle's page.
pub fn name_in_page(apply_dist: &Path, follow_dist: &Path) -> Result<(), String> {
    let read = |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()));
    let follow_page = read(&follow_dist.join("index.html"))?;
    let page_path = apply_dist.join("index.html");
    let page = with_meta(&read(&page_path)?, &assets(&follow_page)?)?;
    std::fs::write(&page_path, page).map_err(|e| format!("{}: {e}", page_path.display()))
}

/// `page` without the meta: what the page itself loads, for the bench's first load (the
/// files it names are fetched later, and only from the form's second step).
pub fn without_meta(page: &str) -> String {
    let Some(start) = page.find(&format!("<meta name=\"{META_NAME}\"")) else {
        return page.to_owned();
    };
    let end = page[start..].find('>').map_or(page.len(), |at| start + at + 1);
    format!("{}{}", &page[..start], &page[end..])
}

/// The one `.js` and one `.wasm` path the follow-up page loads.
fn assets(follow_page: &str) -> Result<Vec<String>, String> {
    let mut paths: Vec<&str> = follow_page
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_')))
        .filter(|token| token.starts_with(&format!("/{}/", refund_api::PlayerBundle::FOLLOW_DIR)))
        .filter(|token| token.ends_with(".js") || token.ends_with(".wasm"))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let count = |ext: &str| paths.iter().filter(|p| p.ends_with(ext)).count();
    if count(".js") != 1 || count(".wasm") != 1 {
        return Err(format!(
            "the follow-up page should load one .js and one .wasm, not {paths:?}"
        ));
    }
    Ok(paths.into_iter().map(str::to_owned).collect())
}

/// `page` with the meta before `</head>`.
fn with_meta(page: &str, paths: &[String]) -> Result<String, String> {
    if page.contains(META_NAME) {
        return Err(format!("the page already names {META_NAME}"));
    }
    let at = page.find("</head>").ok_or("the page has no </head>")?;
    let meta = format!("<meta name=\"{META_NAME}\" content=\"{}\">", paths.join(" "));
    Ok(format!("{}{meta}{}", &page[..at], &page[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOLLOW_PAGE: &str = "<head><script type=module>import init, * as bindings from '/follow/f-1.js';\n\
        await window.refundShellPainted;\n\
        const wasm = await init({ module_or_path: fetch('/follow/f-1_bg.wasm', { integrity: 'sha384-x' }) });\n\
        </script><link crossorigin href=/follow/f-1.js integrity=sha384-js rel=modulepreload></head>";

    #[test]
    fn the_follow_up_files_are_named_once_before_the_head_ends() {
        let paths = assets(FOLLOW_PAGE).unwrap();
        assert_eq!(paths, ["/follow/f-1.js", "/follow/f-1_bg.wasm"]);
        let page = with_meta("<html><head><title>x</title></head><body></body>", &paths).unwrap();
        assert_eq!(
            page,
            "<html><head><title>x</title><meta name=\"refund-follow-up\" \
             content=\"/follow/f-1.js /follow/f-1_bg.wasm\"></head><body></body>"
        );
        assert!(with_meta(&page, &paths).is_err(), "named twice");
        assert_eq!(without_meta(&page), "<html><head><title>x</title></head><body></body>");
        assert_eq!(without_meta("<head></head>"), "<head></head>");
    }

    #[test]
    fn a_follow_up_page_of_another_shape_is_refused() {
        assert!(assets("<head></head>").is_err());
        assert!(assets(&FOLLOW_PAGE.replace("/follow/f-1_bg.wasm", "/f-1_bg.wasm")).is_err());
        assert!(assets(&format!("{FOLLOW_PAGE}<script src=/follow/other.js></script>")).is_err());
        assert!(with_meta("<body></body>", &[]).is_err());
    }
}
