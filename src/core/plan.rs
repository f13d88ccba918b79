//! The plan: what the browser shell must do, in order. The core decides,
//! the shell only executes these steps.

use super::category::{Category, Choices};
use super::json::Value;
use super::record::ConsentRecord;
use crate::vendors::CookieName;

/// One argument of a vendor command. Dates cannot travel as JSON, so they get
/// their own case (gtag's `gtag('js', new Date())`).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Json(Value),
    Now,
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Json(Value::from(s))
    }
}

impl From<Value> for Arg {
    fn from(v: Value) -> Arg {
        Arg::Json(v)
    }
}

/// A call into a vendor's page-level API. Both forms only queue work in the
/// page; nothing reaches the network until the vendor's loader runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// Calls a vendor command function (`gtag`, `fbq`), defined by the shell
    /// as the vendor's own queueing stub when missing.
    Command { function: &'static str, args: Vec<Arg> },
    /// Pushes an item onto a global queue array (`criteo_q`, `_adftrack`).
    Push { queue: &'static str, item: Value },
}

impl Call {
    pub fn command<const N: usize>(function: &'static str, args: [Arg; N]) -> Call {
        Call::Command { function, args: args.into() }
    }
}

/// A script the shell inserts. Vendors sharing a loader (the Google tags share
/// gtag.js) share a key, and a key is loaded once per page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub key: String,
    pub url: String,
}

/// Why the bar is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskReason {
    /// Nothing valid is stored: a first visit, or storage was cleared.
    NoChoice,
    /// A stored choice was found but cannot be trusted (corrupt, foreign, tampered).
    Unreadable,
    /// The stored choice is older than its lifetime.
    Expired,
    /// The site's policy revision changed since the choice was made.
    PolicyChanged,
    /// The vendors disclosed in these granted categories changed since.
    VendorsChanged(Vec<Category>),
}

impl AskReason {
    /// A short text that names the reason, for handing it to another wasm
    /// module of the split build: `no-choice`, `vendors-changed:analytics,marketing`.
    pub fn code(&self) -> String {
        let name = match self {
            AskReason::NoChoice => "no-choice",
            AskReason::Unreadable => "unreadable",
            AskReason::Expired => "expired",
            AskReason::PolicyChanged => "policy-changed",
            AskReason::VendorsChanged(categories) => {
                let names: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
                return format!("vendors-changed:{}", names.join(","));
            }
        };
        name.to_owned()
    }

    /// Reads [`AskReason::code`] back; `None` for anything else.
    pub fn from_code(code: &str) -> Option<AskReason> {
        Some(match code {
            "no-choice" => AskReason::NoChoice,
            "unreadable" => AskReason::Unreadable,
            "expired" => AskReason::Expired,
            "policy-changed" => AskReason::PolicyChanged,
            other => {
                let names = other.strip_prefix("vendors-changed:")?;
                let categories: Option<Vec<Category>> = names.split(',').map(Category::parse).collect();
                AskReason::VendorsChanged(categories?)
            }
        })
    }
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    ShowBar(AskReason),
    HideBar,
    Call(Call),
    LoadScript(Script),
    /// Persist this record (and mirror it where configured).
    Store(ConsentRecord),
    /// Forget the stored record.
    ClearStored,
    /// Tell the page the effective choices changed.
    Announce(Choices),
    /// Reload the page: a script that already ran cannot be unloaded.
    Reload,
    /// Delete these first-party cookies on the host and on every parent
    /// domain they may live on.
    DeleteCookies {
        names: Vec<CookieName>,
    },
    /// Remove these localStorage keys.
    DeleteStorage {
        keys: Vec<String>,
    },
    /// Rewrite this cookie with its own value and this expiry (ms since the
    /// epoch), on the domain it lives on.
    CapCookie {
        name: String,
        expires_ms: i64,
    },
}

/// Appends `action` unless an identical one is already planned, so vendors
/// sharing a loader or a consent signal cause one step, not several.
pub fn push_unique(plan: &mut Vec<Action>, action: Action) {
    if !plan.contains(&action) {
        plan.push(action);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ask_reasons_round_trip_through_their_codes() {
        let reasons = [
            AskReason::NoChoice,
            AskReason::Unreadable,
            AskReason::Expired,
            AskReason::PolicyChanged,
            AskReason::VendorsChanged(vec![Category::Analytics]),
            AskReason::VendorsChanged(vec![Category::Analytics, Category::Marketing]),
        ];
        for reason in reasons {
            assert_eq!(AskReason::from_code(&reason.code()), Some(reason.clone()), "{}", reason.code());
        }
        for bad in ["", "No-choice", "vendors-changed:", "vendors-changed:analytics,", "vendors-changed:ads"] {
            assert_eq!(AskReason::from_code(bad), None, "{bad}");
        }
    }
}
