//! When each attempt of a request's registry calls was on the wire, so that the gateway can tell
//! its own time apart from the registries'. A request that wants them runs under
//! [`CallTimes::record`]; [`HttpSend`](super::HttpSend) notes every attempt it makes inside it,
//! from just before the request is sent to the last byte of the answer (after any wait for the
//! concurrency limit, the quota or a token). Outside a recording, nothing is noted.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use gateway_domain::System;

tokio::task_local! {
    static RECORDING: CallTimes;
}

/// One attempt on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallTime {
    pub system: System,
    pub started: Instant,
    pub ended: Instant,
    /// Bytes of the request body sent, and of the answer's body received (0 when none came).
    pub sent: usize,
    pub received: usize,
}

impl CallTime {
    pub fn duration(&self) -> std::time::Duration {
        self.ended.saturating_duration_since(self.started)
    }
}

/// The attempts noted while a future ran; clones share them.
#[derive(Debug, Clone, Default)]
pub struct CallTimes(Arc<Mutex<Vec<CallTime>>>);

impl CallTimes {
    /// Runs `future`, noting here every registry attempt it makes in its own task (the calls of
    /// `join_all` and `join!` included; a spawned task's are not).
    pub async fn record<F: Future>(&self, future: F) -> F::Output {
        RECORDING.scope(self.clone(), future).await
    }

    /// The attempts noted so far, in the order they ended.
    pub fn calls(&self) -> Vec<CallTime> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Notes one attempt in the current task's recording, if there is one.
pub(super) fn note(system: System, started: Instant, sent: usize, received: usize) {
    let ended = Instant::now();
    let _ = RECORDING.try_with(|times| {
        let call = CallTime { system, started, ended, sent, received };
        times.0.lock().unwrap_or_else(|e| e.into_inner()).push(call);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn attempts_are_noted_only_inside_a_recording() {
        note(System::Vsaa, Instant::now(), 0, 0);
        let times = CallTimes::default();
        times
            .record(async {
                let started = Instant::now();
                tokio::join!(async { note(System::Pmlp, started, 1, 2) }, async { note(System::Nva, started, 3, 4) });
            })
            .await;
        let systems: Vec<System> = times.calls().iter().map(|c| c.system).collect();
        assert_eq!(systems, [System::Pmlp, System::Nva]);
        assert!(times.calls().iter().all(|c| c.ended >= c.started));
    }
}
