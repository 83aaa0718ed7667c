//! Entry point of the player's follow-up bundle (cases, appeals, tracking links,
//! notifications): mounts its app in place of the static shell.

fn main() {
    refund_web::mount_over_shell(refund_web::FollowApp);
}
