//! The audit log's hash chain: each entry's link is an HMAC, under the audit key, of the link
//! before it, its place and its content, so that no entry can be edited, removed or moved
//! without the chain saying where, and a chain cannot be rebuilt without the key. Checking a
//! chain needs nothing but the key and the rows.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The link before the first entry.
pub const GENESIS: &str = "genesis";

/// What one entry records: everything its link covers but the chain itself. No personal code:
/// `person_hash` is the code's keyed hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Entry {
    pub at_ms: i64,
    pub request_id: String,
    pub caller: String,
    pub institution: String,
    pub officer: String,
    pub purpose: String,
    pub legal_basis: String,
    pub case_ref: String,
    pub system: String,
    pub topic: String,
    /// `asked`, `answered` or `delivered`.
    pub event: String,
    /// `pending` when asked; `ok` or the gap reason when answered; the delivery's outcome.
    pub outcome: String,
    pub person_hash: String,
    /// `applicant`, `declared` (at the applicant's address) or `named` (by the caller only).
    pub co_resident: String,
}

/// An entry as stored: its place, the link before it and its own.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Linked {
    pub seq: i64,
    #[sqlx(flatten)]
    pub entry: Entry,
    pub prev_hash: String,
    pub hash: String,
}

/// The audit key: the HMAC key of person hashes and of the chain, kept keyed (its inner and
/// outer pads hashed once) so that each hash starts from a copy.
#[derive(Clone)]
pub struct AuditKey(Hmac<Sha256>);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(..)")
    }
}

impl AuditKey {
    pub fn new(bytes: &[u8]) -> Self {
        // HMAC takes a key of any length.
        Self(Hmac::<Sha256>::new_from_slice(bytes).expect("HMAC accepts any key length"))
    }

    fn mac(&self, domain: &str, parts: &[&[u8]]) -> String {
        let mut mac = self.0.clone();
        mac.update(domain.as_bytes());
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        hex::encode(mac.finalize().into_bytes())
    }

    /// The keyed hash a personal code is recorded under (its canonical form, so that both
    /// formats of writing it give one hash).
    pub fn person_hash(&self, canonical_code: &str) -> String {
        self.mac("person", &[canonical_code.as_bytes()])
    }

    /// The link of the entry at `seq` after `prev`: every field, each length-prefixed, in
    /// the order of the struct.
    pub fn link(&self, prev: &str, seq: i64, entry: &Entry) -> String {
        let e = entry;
        let at = e.at_ms.to_be_bytes();
        self.mac(
            "entry",
            &[
                prev.as_bytes(),
                &seq.to_be_bytes(),
                &at,
                e.request_id.as_bytes(),
                e.caller.as_bytes(),
                e.institution.as_bytes(),
                e.officer.as_bytes(),
                e.purpose.as_bytes(),
                e.legal_basis.as_bytes(),
                e.case_ref.as_bytes(),
                e.system.as_bytes(),
                e.topic.as_bytes(),
                e.event.as_bytes(),
                e.outcome.as_bytes(),
                e.person_hash.as_bytes(),
                e.co_resident.as_bytes(),
            ],
        )
    }
}

/// Where a chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Break {
    #[error("entry {seq} does not match its link: it was edited or moved")]
    Edited { seq: i64 },
    #[error("entries after {after} and before {seq} are missing: deleted")]
    Deleted { after: i64, seq: i64 },
    #[error("entry {seq} does not follow entry {after}: entries were reordered or replaced")]
    Reordered { after: i64, seq: i64 },
    #[error("the chain ends at entry {last} but its head says {head}: entries at the end were deleted")]
    TailMismatch { last: i64, head: i64 },
    #[error("the head kept elsewhere is not in the chain: entries at the end were deleted or the chain replaced")]
    Truncated,
}

/// What a chain that holds covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// Where the chain starts: 0, or the checkpoint pruning left.
    pub from_seq: i64,
    pub entries: u64,
    pub head_seq: i64,
    pub head_hash: String,
}

/// Checks `rows` (in seq order) from `start` (a checkpoint's seq and link, or 0 and
/// [`GENESIS`]) against the stored head and, when given, a head kept elsewhere.
pub fn verify(
    key: &AuditKey,
    start: (i64, String),
    rows: impl IntoIterator<Item = Linked>,
    head: (i64, String),
    expect_head: Option<&str>,
) -> Result<Verified, Break> {
    let from_seq = start.0;
    let (mut last_seq, mut last_hash) = start;
    let mut seen_expected = expect_head.is_some_and(|expected| expected == last_hash);
    let mut entries = 0;
    for row in rows {
        if key.link(&row.prev_hash, row.seq, &row.entry) != row.hash {
            return Err(Break::Edited { seq: row.seq });
        }
        if row.prev_hash != last_hash {
            return Err(if row.seq > last_seq + 1 {
                Break::Deleted { after: last_seq, seq: row.seq }
            } else {
                Break::Reordered { after: last_seq, seq: row.seq }
            });
        }
        (last_seq, last_hash) = (row.seq, row.hash);
        seen_expected |= expect_head == Some(last_hash.as_str());
        entries += 1;
    }
    if (last_seq, &last_hash) != (head.0, &head.1) {
        return Err(Break::TailMismatch { last: last_seq, head: head.0 });
    }
    if expect_head.is_some() && !seen_expected {
        return Err(Break::Truncated);
    }
    Ok(Verified { from_seq, entries, head_seq: last_seq, head_hash: last_hash })
}
