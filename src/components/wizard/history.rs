//! The form's steps in the browser's history: every step forward adds an entry
//! (`?step=N`), so the browser's and Android's back button goes to the previous step
//! instead of out of the form, and forward checks the step as "Next" does.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use super::FormCtx;

/// The step the address names (1-based in the address, 0-based here).
#[must_use]
pub fn step_in_query(value: Option<&str>) -> Option<usize> {
    value?.parse::<usize>().ok()?.checked_sub(1)
}

/// Keeps the address and the form's step in step with each other.
pub fn follow_history(ctx: FormCtx) {
    let navigate = use_navigate();
    let path = use_location().pathname;
    let query = use_query_map();
    let addressed = Memo::new(move |_| query.with(|q| step_in_query(q.get("step").as_deref())));
    // The form moved: a step forward is a new entry; anything else rewrites the current one.
    Effect::new(move |_| {
        let step = ctx.step();
        let Some(at) = addressed.get_untracked().or(Some(usize::MAX)) else {
            return;
        };
        if at == step {
            return;
        }
        let url = format!("{}?step={}", path.get_untracked(), step + 1);
        let forward = at != usize::MAX && step == at + 1;
        navigate(
            &url,
            NavigateOptions {
                replace: !forward,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });
    // The address moved (back or forward): back goes there; forward is "Next".
    Effect::new(move |_| {
        let Some(at) = addressed.get() else { return };
        let step = ctx.step_untracked();
        if at < step {
            ctx.go_to(at);
        } else if at == step + 1 {
            ctx.next();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::step_in_query;

    #[test]
    fn the_address_counts_steps_from_one() {
        assert_eq!(step_in_query(Some("1")), Some(0));
        assert_eq!(step_in_query(Some("3")), Some(2));
        assert_eq!(step_in_query(Some("0")), None);
        assert_eq!(step_in_query(Some("x")), None);
        assert_eq!(step_in_query(None), None);
    }
}
