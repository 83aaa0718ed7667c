//! `cargo xtask bench`: budgets of DESIGN.md section 6, measured and printed.

pub fn all() -> Result<(), String> {
    Err("bench is not built yet".to_owned())
}
