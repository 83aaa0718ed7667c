//! Entry point of the console bundle: mounts the console and nothing else.

fn main() {
    leptos::mount::mount_to_body(refund_web::console::ConsoleApp);
}
