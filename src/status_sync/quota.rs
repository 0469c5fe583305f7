//! A partner's quota shared by every gateway instance: permits are counted per wall-clock second
//! in the store, so two instances together never send more than the partner allows.
//!
//! The partner counts a request in the second it arrives; a request counted here in second `s`
//! but sent at its very end could arrive in `s + 1` and be counted there on top of that second's
//! full quota. So permits are used only inside each second's send window (`quota_margin_ms`
//! after its start to `quota_margin_ms` before its end), and a permit not used in its window is
//! dropped rather than carried into the next second.

use std::time::Duration;

use gateway_domain::System;
use tokio::sync::Mutex;

use crate::store::{Store, StoreError, now_ms};

/// Permits asked of the store at once: a twentieth of a second's quota, at least 8, so that a
/// chunk is used up well within a send window while the store is asked at most 20 times a
/// second.
fn chunk(per_second: u32) -> u32 {
    (per_second / 20).max(8)
}

/// Permits this instance holds for one second.
struct Held {
    second: i64,
    left: u32,
    /// The store had none left for that second.
    exhausted: bool,
}

pub(crate) struct SharedQuota {
    store: Store,
    partner: System,
    per_second: u32,
    margin_ms: i64,
    held: Mutex<Held>,
}

impl SharedQuota {
    pub(crate) fn new(store: Store, partner: System, per_second: u32, margin_ms: u64) -> Self {
        Self {
            store,
            partner,
            per_second: per_second.max(1),
            margin_ms: margin_ms.min(499) as i64,
            held: Mutex::new(Held { second: i64::MIN, left: 0, exhausted: false }),
        }
    }

    /// Requests a second the partner allows.
    pub(crate) fn per_second(&self) -> u32 {
        self.per_second
    }

    /// Where `now` falls: its second, or how long to wait for the next send window.
    fn window(&self, now: i64) -> Result<i64, Duration> {
        let (second, into) = (now.div_euclid(1000), now.rem_euclid(1000));
        if into < self.margin_ms {
            Err(Duration::from_millis((self.margin_ms - into) as u64))
        } else if into >= 1000 - self.margin_ms {
            Err(Duration::from_millis((1000 - into + self.margin_ms) as u64))
        } else {
            Ok(second)
        }
    }

    /// Waits for one permit; the caller sends its request at once.
    pub(crate) async fn permit(&self) -> Result<(), StoreError> {
        loop {
            // Held across the store call so that concurrent deliveries ask once, not each.
            let mut held = self.held.lock().await;
            let second = match self.window(now_ms()) {
                Ok(second) => second,
                Err(wait) => {
                    drop(held);
                    tokio::time::sleep(wait).await;
                    continue;
                }
            };
            if held.second == second && held.left > 0 {
                held.left -= 1;
                return Ok(());
            }
            if held.second != second || !held.exhausted {
                let mut ask = chunk(self.per_second).min(self.per_second);
                while ask > 0 {
                    if self.store.take_quota(self.partner, second, self.per_second, ask).await? {
                        break;
                    }
                    ask /= 2;
                }
                *held = Held { second, left: ask, exhausted: ask == 0 };
                // The store may have been slow: permits of a window already closed are dropped.
                if ask > 0 && self.window(now_ms()) == Ok(second) {
                    held.left -= 1;
                    return Ok(());
                }
                held.left = 0;
                if ask > 0 {
                    continue;
                }
            }
            // This second's quota is used up, by us or another instance.
            drop(held);
            let into = now_ms().rem_euclid(1000);
            tokio::time::sleep(Duration::from_millis((1000 - into + self.margin_ms).max(1) as u64)).await;
        }
    }
}
