//! Entry point of the browser bundle: mounts the app and nothing else.

fn main() {
    refund_web::remove_boot_message();
    leptos::mount::mount_to_body(refund_web::App);
}
