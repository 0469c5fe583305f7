//! The kinds of message the outbox carries. Each kind keeps its versions in a table of its own
//! (`status_decisions`, `referrals`); the outbox rows, their claims, retries, dead letters and
//! delivery changes are one mechanism for all of them.

use gateway_domain::{PersonCode, Referral, StatusDecision};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A kind of outgoing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    StatusDecision,
    Referral,
}

impl MessageKind {
    /// The outbox's `kind` column.
    pub fn key(self) -> &'static str {
        match self {
            MessageKind::StatusDecision => "status_decision",
            MessageKind::Referral => "referral",
        }
    }

    pub(crate) fn from_key(key: &str) -> Option<Self> {
        [MessageKind::StatusDecision, MessageKind::Referral].into_iter().find(|k| k.key() == key)
    }

    /// The table holding this kind's versions, and its reference column.
    pub(crate) fn table(self) -> (&'static str, &'static str) {
        match self {
            MessageKind::StatusDecision => ("status_decisions", "decision_ref"),
            MessageKind::Referral => ("referrals", "referral_ref"),
        }
    }
}

/// A message the outbox can carry: versioned under a reference, stored as JSON.
pub trait Outgoing: Serialize + DeserializeOwned + PartialEq + Send + Sync {
    const KIND: MessageKind;
    fn reference(&self) -> &str;
    fn version(&self) -> u32;
    fn into_message(self) -> Message;
}

impl Outgoing for StatusDecision {
    const KIND: MessageKind = MessageKind::StatusDecision;
    fn reference(&self) -> &str {
        &self.decision_ref
    }
    fn version(&self) -> u32 {
        self.version
    }
    fn into_message(self) -> Message {
        Message::Status(self)
    }
}

impl Outgoing for Referral {
    const KIND: MessageKind = MessageKind::Referral;
    fn reference(&self) -> &str {
        &self.referral_ref
    }
    fn version(&self) -> u32 {
        self.version
    }
    fn into_message(self) -> Message {
        Message::Referral(self)
    }
}

/// A claimed message, of whichever kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Status(StatusDecision),
    Referral(Referral),
}

impl Message {
    pub fn kind(&self) -> MessageKind {
        match self {
            Message::Status(_) => MessageKind::StatusDecision,
            Message::Referral(_) => MessageKind::Referral,
        }
    }

    pub fn reference(&self) -> &str {
        match self {
            Message::Status(m) => m.reference(),
            Message::Referral(m) => m.reference(),
        }
    }

    pub fn version(&self) -> u32 {
        match self {
            Message::Status(m) => m.version,
            Message::Referral(m) => m.version,
        }
    }

    /// The persons it names, with how: the applicant and the declared members of a decision,
    /// the client of a referral.
    pub fn persons(&self) -> Vec<(&PersonCode, &'static str)> {
        match self {
            Message::Status(decision) => decision
                .members
                .iter()
                .enumerate()
                .map(|(i, member)| (member, if i == 0 { "applicant" } else { "declared" }))
                .collect(),
            Message::Referral(referral) => vec![(&referral.person, "client")],
        }
    }

    /// Reads a stored payload of `kind`.
    pub(crate) fn read(kind: MessageKind, payload: &str) -> Result<Message, serde_json::Error> {
        Ok(match kind {
            MessageKind::StatusDecision => Message::Status(serde_json::from_str(payload)?),
            MessageKind::Referral => Message::Referral(serde_json::from_str(payload)?),
        })
    }
}
