//! The browser shell: gathers inputs for the core and carries out its plans.
//! Nothing here decides what the visitor consented to.

pub mod api;
pub mod cookies;
pub mod declaration;
mod dom;
pub mod events;
mod guard;
pub mod loader;
pub mod markup;
mod shell;
pub mod storage;
mod ui;
