//! The four codebook labels.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// How a report links an attack to an organization, as defined in `data/CODEBOOK.md`.
///
/// Variants are declared in the codebook's rule-1 order, strongest link first, so
/// `Label::Directed < Label::Unclaimed`.
///
/// ```
/// use claim_attribution::Label;
/// let label: Label = "remote-controlled".parse()?;
/// assert_eq!(label, Label::RemoteControlled);
/// assert_eq!(label.to_string(), "remote-controlled");
/// # Ok::<(), claim_attribution::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Label {
    /// The organization planned, ordered, resourced or dispatched the attack.
    Directed,
    /// A member of the organization guided the attacker's plot from afar.
    RemoteControlled,
    /// The attacker acted under the organization's or movement's influence, with no operational contact.
    Inspired,
    /// The report establishes no link to any organization.
    Unclaimed,
}

impl Label {
    /// All labels in rule-1 order; the index of a label here is its index in probability arrays.
    pub const ALL: [Label; 4] = [
        Label::Directed,
        Label::RemoteControlled,
        Label::Inspired,
        Label::Unclaimed,
    ];

    /// The label as spelled in the codebook.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Directed => "directed",
            Label::RemoteControlled => "remote-controlled",
            Label::Inspired => "inspired",
            Label::Unclaimed => "unclaimed",
        }
    }

    /// The position of this label in [`Label::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Label {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Label::ALL
            .into_iter()
            .find(|label| label.as_str() == s)
            .ok_or_else(|| Error::UnknownLabel(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_round_trips_through_str_and_serde() {
        for label in Label::ALL {
            assert_eq!(label.as_str().parse::<Label>().unwrap(), label);
            let json = serde_json::to_string(&label).unwrap();
            assert_eq!(json, format!("\"{}\"", label.as_str()));
            assert_eq!(serde_json::from_str::<Label>(&json).unwrap(), label);
        }
    }

    #[test]
    fn unknown_label_names_the_value() {
        let err = "remote_controlled".parse::<Label>().unwrap_err();
        assert!(err.to_string().contains("\"remote_controlled\""));
    }

    #[test]
    fn index_matches_position_in_all() {
        for (i, label) in Label::ALL.into_iter().enumerate() {
            assert_eq!(label.index(), i);
        }
    }
}
