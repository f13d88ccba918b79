//! What the visitor did in the bar or the settings dialog. The UI reports it
//! and the shell acts on it; in the split browser build the two live in
//! different wasm modules, so a choice also travels as a short code.

use super::category::Choices;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiChoice {
    AcceptAll,
    RejectAll,
    /// The bar's "settings": open the dialog.
    Settings,
    /// The dialog's switches saved as they are: an explicit choice per category.
    Save(Choices),
    /// The dialog closed without deciding (Escape or the close button).
    Dismissed,
}

impl UiChoice {
    /// `accept`, `reject`, `settings`, `dismissed`, or `save:<bits>` (see [`Choices::bits`]).
    pub fn code(self) -> String {
        match self {
            UiChoice::AcceptAll => "accept".to_owned(),
            UiChoice::RejectAll => "reject".to_owned(),
            UiChoice::Settings => "settings".to_owned(),
            UiChoice::Dismissed => "dismissed".to_owned(),
            UiChoice::Save(choices) => {
                let mut code = String::from("save:");
                code.push(char::from(b'0' + choices.bits()));
                code
            }
        }
    }

    /// Reads [`UiChoice::code`] back; `None` for anything else.
    pub fn from_code(code: &str) -> Option<UiChoice> {
        Some(match code {
            "accept" => UiChoice::AcceptAll,
            "reject" => UiChoice::RejectAll,
            "settings" => UiChoice::Settings,
            "dismissed" => UiChoice::Dismissed,
            "save:0" => UiChoice::Save(Choices::from_bits(0)),
            "save:1" => UiChoice::Save(Choices::from_bits(1)),
            "save:2" => UiChoice::Save(Choices::from_bits(2)),
            "save:3" => UiChoice::Save(Choices::from_bits(3)),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_round_trips_through_its_code() {
        let mut all = vec![UiChoice::AcceptAll, UiChoice::RejectAll, UiChoice::Settings, UiChoice::Dismissed];
        all.extend((0..4).map(|bits| UiChoice::Save(Choices::from_bits(bits))));
        for choice in all {
            assert_eq!(UiChoice::from_code(&choice.code()), Some(choice), "{}", choice.code());
        }
        for bad in ["", "save", "save:4", "save:", "Accept", "accept "] {
            assert_eq!(UiChoice::from_code(bad), None, "{bad}");
        }
    }
}
