//! The player's wasm waits for the static shell's paint. Trunk's page asks for the wasm in
//! `<head>` (a preload, then `init` at once), so on a slow link the 300 KB download starts
//! before the shell has painted and, in Lighthouse's simulated load, the shell's largest
//! paint is charged with it. After `trunk build`, this drops the preload and makes the
//! loader await `window.refundShellPainted` (index.html's shell script) before it fetches
//! the wasm, with the preload's integrity hash kept on that fetch. The cost is the time from
//! the page's arrival to the shell's paint, which the download no longer overlaps.

use std::path::Path;

/// What Trunk's loader calls to fetch and start the wasm.
const INIT_CALL: &str = "init({ module_or_path: ";

/// Rewrites `dist/index.html` so the wasm is fetched once the shell has painted. Fails
/// when Trunk's page no longer has the shape this expects, rather than ship it unchanged.
pub fn defer_wasm(dist: &Path) -> Result<(), String> {
    let path = dist.join("index.html");
    let page = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let page = defer(&page).map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::write(&path, page).map_err(|e| format!("{}: {e}", path.display()))
}

/// The page with the wasm's preload removed and its fetch behind the shell's paint.
fn defer(page: &str) -> Result<String, String> {
    let (start, end) = wasm_preload(page).ok_or("no preload of the wasm to defer")?;
    let tag = &page[start..end];
    let href = attribute(tag, "href").ok_or("the wasm's preload has no href")?;
    let integrity = attribute(tag, "integrity").ok_or("the wasm's preload has no integrity")?;
    let page = format!("{}{}", &page[..start], &page[end..]);
    // The whole statement is matched, so a loader written otherwise fails here rather
    // than shipping without its preload and without the wait.
    let call = format!("const wasm = await {INIT_CALL}'{href}' }}");
    if page.matches(&call).count() != 1 {
        return Err(format!("the loader does not say `{call}` once"));
    }
    let deferred = format!(
        "await window.refundShellPainted;\nconst wasm = await {INIT_CALL}fetch('{href}', {{ integrity: '{integrity}' }}) }}"
    );
    Ok(page.replace(&call, &deferred))
}

/// Byte range of the `<link>` tag that preloads the `.wasm`.
fn wasm_preload(page: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(offset) = page[from..].find("<link") {
        let start = from + offset;
        let end = start + page[start..].find('>')? + 1;
        let tag = &page[start..end];
        if attribute(tag, "rel").as_deref() == Some("preload")
            && attribute(tag, "href").is_some_and(|href| href.ends_with(".wasm"))
        {
            return Some((start, end));
        }
        from = end;
    }
    None
}

/// The value of `name` in one tag, quoted or not (Trunk's minified HTML drops quotes).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=");
    let rest = &tag[tag.find(&needle)? + needle.len()..];
    let value = match rest.chars().next()? {
        quote @ ('"' | '\'') => rest[1..].split(quote).next()?,
        _ => rest.split([' ', '>']).next()?,
    };
    Some(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_PAGE: &str = "<head><script type=module>import init, * as bindings from '/app-1.js';\n\
        const wasm = await init({ module_or_path: '/app-1_bg.wasm' });\n</script>\
        <link crossorigin href=/app-1.js integrity=sha384-js rel=modulepreload>\
        <link as=fetch crossorigin href=/app-1_bg.wasm integrity=sha384-wasm rel=preload type=application/wasm>\
        </head>";

    #[test]
    fn the_wasm_is_fetched_after_the_shell_with_its_hash() {
        let page = defer(TRUNK_PAGE).unwrap();
        assert!(!page.contains("rel=preload"), "{page}");
        assert!(page.contains("rel=modulepreload"), "the glue stays preloaded: {page}");
        let wait = page
            .find("await window.refundShellPainted;")
            .expect("waits for the shell");
        let fetch = page
            .find("init({ module_or_path: fetch('/app-1_bg.wasm', { integrity: 'sha384-wasm' }) })")
            .expect("fetches with the hash");
        assert!(wait < fetch);
    }

    #[test]
    fn a_page_of_another_shape_is_refused() {
        assert!(defer("<head></head>").is_err());
        let other_call = TRUNK_PAGE.replace("init({ module_or_path:", "init({ path:");
        assert!(defer(&other_call).is_err());
        let other_statement = TRUNK_PAGE.replace("const wasm = await init(", "let wasm = await init(");
        assert!(defer(&other_statement).is_err());
    }

    #[test]
    fn attributes_quoted_or_not() {
        assert_eq!(
            attribute("<link href=\"/a b\" rel=preload>", "href").as_deref(),
            Some("/a b")
        );
        assert_eq!(
            attribute("<link href=/a rel=preload>", "rel").as_deref(),
            Some("preload")
        );
        assert_eq!(attribute("<link href=/a>", "integrity"), None);
    }
}
