//! Where the consent record is kept: localStorage through gloo-storage, or
//! memory for this page view when the browser refuses storage (disabled,
//! private mode, quota). Storage failures never surface as page errors.

use gloo_storage::{LocalStorage, Storage};

pub enum Store {
    Local { key: String },
    /// Storage is unavailable: the choice holds for this page view only.
    Memory { value: Option<String> },
}

impl Store {
    /// Uses localStorage when the browser lets this page read and write it.
    pub fn open(key: &str) -> Store {
        if local_storage_works(key) {
            Store::Local { key: key.to_owned() }
        } else {
            Store::Memory { value: None }
        }
    }

    pub fn is_persistent(&self) -> bool {
        matches!(self, Store::Local { .. })
    }

    pub fn read(&self) -> Option<String> {
        match self {
            Store::Local { key } => LocalStorage::raw().get_item(key).ok().flatten(),
            Store::Memory { value } => value.clone(),
        }
    }

    /// Saves the encoded record, falling back to memory if the write is refused.
    pub fn write(&mut self, text: &str) -> Result<(), String> {
        if let Store::Local { key } = self {
            match LocalStorage::raw().set_item(key, text) {
                Ok(()) => return Ok(()),
                Err(_) => {
                    *self = Store::Memory { value: Some(text.to_owned()) };
                    return Err("the browser refused to save the consent choice; it holds for this page only".to_owned());
                }
            }
        }
        *self = Store::Memory { value: Some(text.to_owned()) };
        Ok(())
    }

    pub fn clear(&mut self) {
        match self {
            Store::Local { key } => LocalStorage::delete(key.as_str()),
            Store::Memory { value } => *value = None,
        }
    }
}

/// Touching `window.localStorage` throws where storage is disabled, and
/// writes throw in some private modes: probe both before relying on it.
fn local_storage_works(key: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let Ok(Some(storage)) = window.local_storage() else { return false };
    let probe = format!("{key}:probe");
    let writable = storage.set_item(&probe, "1").is_ok();
    let _ = storage.remove_item(&probe);
    writable
}
