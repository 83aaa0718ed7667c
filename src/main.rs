//! Entry point of the browser bundle: mounts the app, in place of the static shell, once
//! the shell has been painted.

fn main() {
    refund_web::after_shell_painted(|| {
        refund_web::remove_boot_message();
        leptos::mount::mount_to_body(refund_web::App);
    });
}
