//! Entry point of the player's application bundle (home, launch, the forms, help):
//! mounts its app in place of the static shell.

fn main() {
    refund_web::mount_over_shell(refund_web::ApplyApp);
}
