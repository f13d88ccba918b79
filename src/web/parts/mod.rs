//! What the gate does not do itself: the bar and the settings dialog (the
//! `ui` part), gated markup (`markup`), the embed placeholders (`embeds`),
//! the cookie declaration (`declaration`), and the full messages of a
//! refused config (`diagnostics`).
//!
//! Built with a part's feature, the gate calls it directly (`linked`): the
//! host tools and the browser tests link everything into one module. The
//! browser build leaves the parts out of the gate and fetches each one's own
//! wasm module the first time a page view needs it (`remote`, through
//! `js/parts.js`); the part's `exports` are what the gate calls then. Either
//! way the gate hands a part only the config text, the language and a few
//! short codes (see `core::choice`, `AskReason::code`, `Choices::bits`).

#[cfg(not(feature = "gate"))]
mod exports;
#[cfg(feature = "gate")]
pub mod gate_side;
#[cfg(any(feature = "ui", feature = "markup", feature = "embeds", feature = "declaration", feature = "diagnostics"))]
pub mod linked;
#[cfg(all(
    feature = "gate",
    not(all(
        feature = "ui",
        feature = "markup",
        feature = "embeds",
        feature = "declaration",
        feature = "diagnostics"
    ))
))]
mod remote;
