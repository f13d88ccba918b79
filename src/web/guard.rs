//! What happens after a panic. The release build aborts on panic, which in
//! the wasm is a trap: the call that panicked throws `RuntimeError:
//! unreachable` and the module's state may be half-changed (a `RefCell` left
//! borrowed). So a panic is reported like any other problem, and from then on
//! every entry point refuses to run: the API throws a clear error, listeners
//! do nothing, and no tag loads that the page has not loaded already. The
//! choice already stored stays as it is.

use std::cell::Cell;

thread_local! {
    static STOPPED: Cell<bool> = const { Cell::new(false) };
    static INSTALLED: Cell<bool> = const { Cell::new(false) };
}

/// Installs the panic hook once. In debug builds the hook that was there
/// before (the test runner's, which prints the panic) runs after ours; a
/// release build leaves it out, since std's own hook would bring the
/// formatting of every panic message into the wasm (about 3 KB of gzip) and
/// prints nowhere in a browser anyway.
pub fn install() {
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    #[cfg(debug_assertions)]
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A failed assertion of a browser test shares the module; it is no
        // fault of consent-gate and must not stop the tests after it.
        let in_a_test = info.location().is_some_and(|l| l.file().starts_with("tests/"));
        if !in_a_test && !STOPPED.with(|s| s.replace(true)) {
            // Where, not what: the location is static text, while reading
            // the message would keep the formatting of every panic message
            // live in the wasm.
            let place = info.location().map(|l| {
                let mut place = format!(" at {}:", l.file());
                crate::core::json::push_int(&mut place, i64::from(l.line()));
                place
            });
            super::events::report_error(&format!(
                "stopped after an internal error{}; nothing more loads on this page and the stored choice stands. Please report this",
                place.unwrap_or_default()
            ));
        }
        #[cfg(debug_assertions)]
        previous(info);
    }));
}

/// Whether an earlier panic stopped consent-gate on this page.
pub fn stopped() -> bool {
    STOPPED.with(Cell::get)
}

/// The error every API call throws once consent-gate has stopped.
pub const STOPPED_MESSAGE: &str =
    "consent-gate: stopped after an internal error on this page (see the earlier consent-gate:error); reload the page";
