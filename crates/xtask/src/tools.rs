//! Installing the toolchain the build and tests need, per the recipe verified on these
//! machines: wasm target, trunk 0.21.14, wasm-bindgen-cli equal to Cargo.lock's
//! wasm-bindgen, wasm-opt from npm binaryen 132 (never Debian's: it corrupts the output),
//! Debian's Chromium, the Playwright runner from npm, schemathesis from PyPI, and
//! cargo-fuzz 0.13.2 with the nightly toolchain. Each is reused when present at the right
//! version, so warm runs skip straight to the build.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{cargo_bin, run_checked, version_matches};

const TRUNK_VERSION: &str = "0.21.14";
/// The S3-compatible server the evidence tests store files on (newer ones need a newer rustc).
const S3S_FS_VERSION: &str = "0.14.1";
const WASM_OPT_VERSION: &str = "version 132";
/// The contract tester, from PyPI, in its own virtualenv under `target/`.
const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// cargo-fuzz, for the fuzzing step; it builds with [`FUZZ_TOOLCHAIN`].
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// The toolchain of the fuzz targets: the one cargo-fuzz documents, and the one its
/// sanitizers need for longer runs (the CI step, built without one, would also build on
/// stable).
pub const FUZZ_TOOLCHAIN: &str = "nightly";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Where the installed tools are, and the PATH that finds them.
#[derive(Debug, Clone)]
pub struct Tools {
    pub trunk: PathBuf,
    pub path: OsString,
    pub node_dir: PathBuf,
}

/// Everything `trunk build` needs.
pub fn ensure_web_build_tools(root: &Path) -> Result<Tools, String> {
    ensure_wasm_target()?;
    let bin = cargo_home().join("bin");
    let trunk = bin.join("trunk");
    if !version_matches(&trunk, TRUNK_VERSION) {
        println!("xtask: installing trunk {TRUNK_VERSION} (several minutes, once)");
        cargo_install(&["trunk", "--version", TRUNK_VERSION, "--locked"])?;
    }
    let bindgen_version = locked_version(root, "wasm-bindgen")?;
    if !version_matches(&bin.join("wasm-bindgen"), &bindgen_version) {
        println!("xtask: installing wasm-bindgen-cli {bindgen_version} (several minutes, once)");
        // Its own lockfile pins a crate the registry lacks, so no --locked here.
        cargo_install(&["wasm-bindgen-cli", "--version", &bindgen_version])?;
    }
    let node_dir = root.join("tests/e2e");
    let modules = node_dir.join("node_modules");
    let ready = version_matches(&modules.join(".bin/wasm-opt"), WASM_OPT_VERSION)
        && modules.join("@playwright/test/package.json").exists()
        && modules.join("@axe-core/playwright/package.json").exists()
        && modules.join("terser/package.json").exists();
    ensure_node_packages(&node_dir, ready, true)?;
    let mut paths = vec![node_dir.join("node_modules/.bin"), bin];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let path = std::env::join_paths(paths).map_err(|e| e.to_string())?;
    Ok(Tools { trunk, path, node_dir })
}

/// Builds the web apps in release, with minified JS glue and precompressed copies: the player's
/// application bundle into `dist/`, its follow-up bundle into `dist/follow/` (from a page written
/// from `index.html`, see `follow_page`; both with their wasm
/// fetched once the static shell has painted, and the follow-up bundle's files named in the
/// application bundle's page for the form to fetch ahead), then the console into `dist/console/` (the
/// application bundle first: a build empties its own dist).
pub fn build_web_app(root: &Path, tools: &Tools) -> Result<(), String> {
    let trunk = |args: &[&str]| {
        run_checked(
            Command::new(&tools.trunk)
                .current_dir(root)
                .env("PATH", &tools.path)
                .args(args),
        )
    };
    trunk(&["build", "--release", "--offline"])?;
    let follow_dir = format!("dist/{}", refund_api::PlayerBundle::FOLLOW_DIR);
    let follow_url = format!("/{}/", refund_api::PlayerBundle::FOLLOW_DIR);
    crate::follow_page::write(root)?;
    // The target comes first: `--offline` takes an optional value and would swallow it.
    trunk(&[
        "build",
        crate::follow_page::PAGE,
        "--release",
        "--offline",
        "--dist",
        &follow_dir,
        "--public-url",
        &follow_url,
    ])?;
    trunk(&[
        "build",
        "console/index.html",
        "--release",
        "--offline",
        "--dist",
        "dist/console",
        "--public-url",
        "/console/",
    ])?;
    let players = [root.join("dist"), root.join(&follow_dir)];
    for player in &players {
        crate::minify::minify_glue(player, tools)?;
        crate::loader::defer_wasm(player)?;
    }
    crate::follow_up::name_in_page(&players[0], &players[1])?;
    for player in &players {
        crate::precompress::precompress(player)?;
    }
    crate::minify::minify_glue(&root.join("dist/console"), tools)?;
    crate::precompress::precompress(&root.join("dist/console"))
}

/// s3s-fs, a real S3 server over a directory, for the S3 evidence tests.
pub fn ensure_s3s_fs() -> Result<(), String> {
    let binary = cargo_home().join("bin/s3s-fs");
    if version_matches(&binary, S3S_FS_VERSION) {
        return Ok(());
    }
    println!("xtask: installing s3s-fs {S3S_FS_VERSION} (a few minutes, once)");
    cargo_install(&[
        "s3s-fs",
        "--version",
        S3S_FS_VERSION,
        "--features",
        "binary",
        "--locked",
    ])
}

/// schemathesis in a virtualenv at `target/schemathesis` (made with the machine's
/// python3; Debian's `python3-venv` is installed first when the interpreter lacks venv).
/// Returns the `schemathesis` program.
pub fn ensure_schemathesis(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/schemathesis");
    let program = venv.join("bin/schemathesis");
    if version_matches(&program, SCHEMATHESIS_VERSION) {
        return Ok(program);
    }
    println!(
        "xtask: installing schemathesis {SCHEMATHESIS_VERSION} from PyPI into {}",
        venv.display()
    );
    let make_venv = || run_checked(Command::new("python3").args(["-m", "venv", "--clear"]).arg(&venv));
    make_venv().or_else(|_| ensure_debian_packages(&["python3-venv"]).and_then(|()| make_venv()))?;
    run_checked(
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check", "--no-input"])
            .arg(format!("schemathesis=={SCHEMATHESIS_VERSION}")),
    )?;
    if version_matches(&program, SCHEMATHESIS_VERSION) {
        Ok(program)
    } else {
        Err(format!(
            "schemathesis {SCHEMATHESIS_VERSION} did not install into {}",
            venv.display()
        ))
    }
}

/// Debian's Chromium and ChromeDriver, for wasm-bindgen tests and Playwright.
pub fn ensure_chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    ensure_debian_packages(&["chromium", "chromium-driver"])
}

/// cargo-fuzz and the nightly toolchain it builds the fuzz targets with.
pub fn ensure_fuzz_tools() -> Result<(), String> {
    if !version_matches(&cargo_home().join("bin/cargo-fuzz"), CARGO_FUZZ_VERSION) {
        println!("xtask: installing cargo-fuzz {CARGO_FUZZ_VERSION} (about 2 minutes, once)");
        cargo_install(&["cargo-fuzz", "--version", CARGO_FUZZ_VERSION, "--locked"])?;
    }
    let installed = Command::new("rustup")
        .args(["toolchain", "list"])
        .output()
        .is_ok_and(|out| {
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|line| line.starts_with(&format!("{FUZZ_TOOLCHAIN}-")))
        });
    if installed {
        return Ok(());
    }
    println!("xtask: installing the {FUZZ_TOOLCHAIN} toolchain (minimal profile, once)");
    run_checked(Command::new("rustup").args(["toolchain", "install", FUZZ_TOOLCHAIN, "--profile", "minimal"]))
}

/// Installs Debian packages (as root), repairing broken dependencies once if needed.
pub fn ensure_debian_packages(packages: &[&str]) -> Result<(), String> {
    println!("xtask: installing Debian's {}", packages.join(", "));
    run_checked(Command::new("apt-get").arg("update"))?;
    let install = || {
        run_checked(
            Command::new("apt-get")
                .env("DEBIAN_FRONTEND", "noninteractive")
                .args(["install", "-y", "--no-install-recommends"])
                .args(packages),
        )
    };
    install().or_else(|_| {
        run_checked(Command::new("apt-get").env("DEBIAN_FRONTEND", "noninteractive").args([
            "--fix-broken",
            "install",
            "-y",
        ]))
        .and_then(|()| install())
    })
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("wasm32-unknown-unknown"));
    if installed {
        return Ok(());
    }
    run_checked(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The npm packages of `node_dir` from its lockfile, unless `present` and installed from
/// the same lockfile. `npm ci` where the lockfile allows it; lighthouse's tree names a
/// dependency by the `latest` tag, which `npm ci` refuses, so that one gets `npm install`.
pub fn ensure_node_packages(node_dir: &Path, present: bool, strict: bool) -> Result<(), String> {
    if present && lock_is_current(node_dir) {
        return Ok(());
    }
    println!("xtask: installing the npm packages of {}", node_dir.display());
    run_checked(
        Command::new("npm")
            .current_dir(node_dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .arg(if strict { "ci" } else { "install" })
            .args(["--no-audit", "--no-fund"]),
    )?;
    std::fs::copy(node_dir.join("package-lock.json"), node_dir.join(INSTALLED_LOCK))
        .map(|_| ())
        .map_err(|e| format!("cannot record the installed lockfile: {e}"))
}

/// The lockfile the installed packages came from, kept beside them.
const INSTALLED_LOCK: &str = "node_modules/.xtask-installed-lock.json";

/// Whether node_modules was installed from the current lockfile.
fn lock_is_current(node_dir: &Path) -> bool {
    let wanted = std::fs::read(node_dir.join("package-lock.json")).ok();
    wanted.is_some() && wanted == std::fs::read(node_dir.join(INSTALLED_LOCK)).ok()
}

fn cargo_install(args: &[&str]) -> Result<(), String> {
    run_checked(Command::new(cargo_bin()).arg("install").args(args))
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME").map_or_else(
        || PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"),
        PathBuf::from,
    )
}

/// The version of `package` that Cargo.lock pins.
fn locked_version(root: &Path, package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == needle
            && let Some(version) = lines.next().and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_owned());
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}
