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

/// Installs the panic hook once; the hook that was there before (a test
/// runner's, say) still runs after ours.
pub fn install() {
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A failed assertion of a browser test shares the module; it is no
        // fault of consent-gate and must not stop the tests after it.
        let in_a_test = info.location().is_some_and(|l| l.file().starts_with("tests/"));
        if !in_a_test && !STOPPED.with(|s| s.replace(true)) {
            let payload = info.payload();
            let what = payload.downcast_ref::<&str>().copied().or_else(|| payload.downcast_ref::<String>().map(String::as_str));
            super::events::report_error(&format!(
                "stopped after an internal error ({}); nothing more loads on this page and the stored choice stands. Please report this",
                what.unwrap_or("no details")
            ));
        }
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
