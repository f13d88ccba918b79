//! Sends each decision's receipt to the site's collector (config `receipts`)
//! and keeps it in an outbox in localStorage until the collector answers 2xx:
//! with the collector down or the tab closed, a later page view sends it
//! again, and the collector stores each receipt id once. Nothing waits for
//! an answer: the bar, the tags and a withdrawal's reload go on at once.

use super::dom::local_storage;
use super::events::report_error;
use super::guard;
use crate::core::config::Config;
use crate::core::json::{push_int, Value};
use crate::core::own_names;
use crate::core::receipt::{Delivery, Outbox};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/receipts.js")]
extern "C" {
    #[wasm_bindgen(js_name = postReceipt)]
    fn post_receipt(url: &str, body: &str, done: &JsValue);
}

thread_local! {
    /// The receipt ids this page view has sent: each is tried once per page
    /// view (a later one retries it), so a decision made while the collector
    /// is down sends only its own receipt.
    static TRIED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Where the receipts of one config go, and where they wait.
pub struct Courier {
    url: String,
    outbox_key: String,
}

impl Courier {
    /// `None` when the config sends no receipts.
    pub fn of(config: &Config) -> Option<Courier> {
        let url = config.receipts.as_ref()?.url.clone();
        Some(Courier { url, outbox_key: own_names::outbox(&config.storage.key) })
    }

    /// Puts the receipt in the outbox and sends everything waiting there.
    pub fn send(&self, receipt: Value) {
        let mut outbox = load(&self.outbox_key);
        if outbox.push(receipt).is_some() {
            report_error(
                "the oldest unsent consent receipt was dropped: the collector has not answered for 20 decisions",
            );
        }
        save(&self.outbox_key, &outbox);
        self.flush(&outbox);
    }

    /// Sends what earlier page views left in the outbox.
    pub fn resend(&self) {
        let outbox = load(&self.outbox_key);
        if !outbox.is_empty() {
            self.flush(&outbox);
        }
    }

    fn flush(&self, outbox: &Outbox) {
        for (id, body) in outbox.pending() {
            let fresh = TRIED.with_borrow_mut(|sent| {
                let fresh = !sent.iter().any(|s| s == id);
                if fresh {
                    sent.push(id.to_owned());
                }
                fresh
            });
            if fresh {
                let (key, id) = (self.outbox_key.clone(), id.to_owned());
                let done = Closure::once_into_js(move |status: JsValue| answered(&key, &id, status));
                post_receipt(&self.url, &body, &done);
            }
        }
    }
}

/// The stored outbox; one we did not write is reported and dropped.
fn load(key: &str) -> Outbox {
    let text = local_storage().and_then(|s| s.get_item(key).ok().flatten());
    let Some(text) = text else { return Outbox::default() };
    Outbox::decode(&text).unwrap_or_else(|e| {
        save(key, &Outbox::default());
        report_error(&format!("{e}; it was dropped"));
        Outbox::default()
    })
}

/// Keeps the outbox for later page views. Without storage the receipt is
/// still sent from this page view, once.
fn save(key: &str, outbox: &Outbox) {
    let Some(storage) = local_storage() else { return };
    let _ = if outbox.is_empty() { storage.remove_item(key) } else { storage.set_item(key, &outbox.encode()) };
}

/// The collector answered `status` (0: no answer) for receipt `id`.
fn answered(outbox_key: &str, id: &str, status: JsValue) {
    if guard::stopped() {
        return;
    }
    let status = status.as_f64().map_or(0, |s| s as u16);
    let delivery = Delivery::after(status);
    if delivery == Delivery::Retry {
        return;
    }
    // Read again: another tab or decision may have changed it meanwhile.
    let mut outbox = load(outbox_key);
    if outbox.remove(id) {
        save(outbox_key, &outbox);
    }
    if delivery == Delivery::Refused {
        // push_int, not format!: `u16`'s Display was 240 B in the gate.
        let mut message = String::from("the consent receipts collector refused a receipt (HTTP ");
        push_int(&mut message, status.into());
        message.push_str("); it is not sent again (the collector's log says why)");
        report_error(&message);
    }
}
