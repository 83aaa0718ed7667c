//! What a first visit to a web app downloads: its page and every same-origin script,
//! wasm, style sheet and picture the page names, raw and as the server sends them
//! compressed (gzip, brotli).

use super::{http_get, row};
use crate::e2e::RunningServer;

/// The bare Leptos 0.8 router app's wasm, gzipped (TOOLCHAIN.md): the floor to compare with.
const FLOOR_GZIP_BYTES: f64 = 80.0 * 1000.0;

/// A first-load budget in KB of brotli, and the goal below it.
pub struct Budget {
    pub kb: f64,
    pub goal_kb: f64,
}

/// Prints the first load of the app whose page is `index`, against `budget` if it has one.
pub fn first_load(server: &RunningServer, app: &str, index: &str, budget: Option<&Budget>) -> Result<(), String> {
    let (_, page) = http_get(&server.addr, index, &[])?;
    // The follow-up bundle's files, named for the form to fetch later, are not loaded here.
    let html = crate::follow_up::without_meta(&String::from_utf8_lossy(&page));
    // Minified HTML leaves attributes unquoted, so look for same-origin paths of asset
    // types rather than for particular attribute syntax.
    let mut assets: Vec<String> = html
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_')))
        .filter(|token| token.starts_with('/') && !token.starts_with("//"))
        .filter(|token| [".js", ".wasm", ".css", ".svg"].iter().any(|ext| token.ends_with(ext)))
        .map(str::to_owned)
        .collect();
    assets.sort();
    assets.dedup();
    let files = assets.len() + 1;
    let kb = |b: usize| b as f64 / 1000.0;
    for (encoding, label) in [(None, "raw"), (Some("gzip"), "gzip"), (Some("br"), "br")] {
        let headers: Vec<(&str, &str)> = encoding.map(|e| ("Accept-Encoding", e)).into_iter().collect();
        let (_, html) = http_get(&server.addr, index, &headers)?;
        let mut total = html.len();
        let mut wasm = 0usize;
        for asset in &assets {
            let (_, body) = http_get(&server.addr, asset, &headers)?;
            if asset.ends_with(".wasm") {
                wasm = body.len();
            }
            total += body.len();
        }
        // The budget is brotli's, what browsers are sent; raw and gzip are for comparison.
        let budget = budget.filter(|_| label == "br");
        row(
            &format!("{app} first load ({label}, {files} files)"),
            &format!("{:.1} KB", kb(total)),
            &budget.map_or_else(String::new, |b| format!("{:.0} KB (goal {:.0})", b.kb, b.goal_kb)),
            budget.map(|b| kb(total) / b.kb),
        );
        row(
            &format!("  of which wasm ({label})"),
            &format!("{:.1} KB", kb(wasm)),
            "",
            None,
        );
        if label == "gzip" && app.starts_with("player") {
            println!(
                "{:<44} {:>16.2}x",
                "  wasm vs bare Leptos router app (gzip, 80 KB)",
                wasm as f64 / FLOOR_GZIP_BYTES
            );
        }
    }
    Ok(())
}
