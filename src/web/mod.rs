//! The browser shell: gathers inputs for the core and carries out its plans.
//! Nothing here decides what the visitor consented to.
//!
//! Split by the Cargo features that make the browser build's parts (see
//! `parts`): the gate (`api`, `shell` and what they drive) and the parts it
//! fetches when a page view needs them (`ui`, `markup`, `embeds`,
//! `declaration`, `diagnostics`).

#[cfg(feature = "gate")]
pub mod api;
#[cfg(feature = "gate")]
pub mod cookies;
#[cfg(feature = "declaration")]
pub mod declaration;
#[cfg(feature = "diagnostics")]
pub mod diagnostics;
// A toolbox shared by the parts; each part's own build uses some of it.
#[cfg_attr(
    not(all(feature = "gate", feature = "ui", feature = "declaration", feature = "diagnostics")),
    allow(dead_code)
)]
mod dom;
pub mod events;
#[cfg(feature = "gate")]
mod floating;
mod guard;
#[cfg(feature = "gate")]
pub mod loader;
#[cfg(any(feature = "markup", feature = "embeds"))]
pub mod markup;
#[cfg(feature = "embeds")]
mod markup_embeds;
mod parts;
#[cfg(feature = "gate")]
mod receipts;
#[cfg(feature = "gate")]
mod shell;
#[cfg(feature = "gate")]
mod started;
#[cfg(feature = "gate")]
pub mod storage;
#[cfg(feature = "ui")]
mod ui;
