//! Entry point of the browser bundle: mounts the app in place of the static shell.

fn main() {
    refund_web::mount_over_shell();
}
