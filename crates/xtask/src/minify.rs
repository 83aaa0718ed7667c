//! Minifying each app's JS glue after `trunk build`: Trunk's own minifier gives up on
//! wasm-bindgen's `export default` and ships the glue as written (61 KB). terser, from the
//! same npm install as wasm-opt, cuts it to less than half. The page loads the glue with
//! Subresource Integrity, so the hash in `index.html` is replaced with the new file's.

use std::path::Path;
use std::process::Command;

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::process::run_checked;
use crate::tools::Tools;

/// Minifies every top-level `.js` file of `dist` in place and updates its SRI hash in
/// `dist/index.html`.
pub fn minify_glue(dist: &Path, tools: &Tools) -> Result<(), String> {
    let index_path = dist.join("index.html");
    let mut index = std::fs::read_to_string(&index_path).map_err(|e| format!("{}: {e}", index_path.display()))?;
    let terser = tools.node_dir.join("node_modules/.bin/terser");
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("js") {
            continue;
        }
        let before = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        run_checked(
            Command::new(&terser)
                .arg(&path)
                .args(["--module", "--compress", "--mangle", "--output"])
                .arg(&path),
        )?;
        let after = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let (old, new) = (integrity(&before), integrity(&after));
        if !index.contains(&old) {
            return Err(format!(
                "{}: no integrity hash for {} to update",
                index_path.display(),
                path.display()
            ));
        }
        index = index.replace(&old, &new);
    }
    std::fs::write(&index_path, index).map_err(|e| format!("{}: {e}", index_path.display()))
}

/// The `integrity` value of `bytes`, as Trunk writes it.
fn integrity(bytes: &[u8]) -> String {
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    )
}
