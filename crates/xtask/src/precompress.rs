//! Compressing the built app once, at the highest levels, so the server sends `.br`/`.gz`
//! files as they are instead of compressing the same bytes on every request.

use std::io::Write;
use std::path::Path;

const COMPRESSIBLE: [&str; 5] = ["wasm", "js", "css", "html", "svg"];

/// Writes `name.br` (brotli quality 11) and `name.gz` (gzip level 9) beside each text or
/// wasm file in `dist`.
pub fn precompress(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if !path.is_file() || !wanted {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut brotli_out = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut brotli_out, 64 * 1024, 11, 22);
            writer.write_all(&bytes).map_err(|e| e.to_string())?;
        }
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gzip.write_all(&bytes).map_err(|e| e.to_string())?;
        let gzip_out = gzip.finish().map_err(|e| e.to_string())?;
        for (suffix, data) in [("br", brotli_out), ("gz", gzip_out)] {
            let mut target = path.clone().into_os_string();
            target.push(format!(".{suffix}"));
            std::fs::write(&target, data).map_err(|e| format!("{}: {e}", Path::new(&target).display()))?;
        }
    }
    Ok(())
}
