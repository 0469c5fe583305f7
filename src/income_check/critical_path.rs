//! The registries' share of a check's time: the longest path through the calls the check made,
//! in the order it makes them. The Population Register's calls come first (the address before
//! its residents, the applicant's own record beside them); every other source is asked about
//! every member at once after them, and the cadastre after the last owners' answer. So the path
//! is the longest chain of the Population Register's calls, then the slower of the slowest
//! person source's call and the slowest owners' call plus the slowest cadastre call. What a
//! check took beyond it is the gateway's own time, waits in its own queues included.

use std::time::Duration;

use gateway_adapters::transport::CallTime;
use gateway_domain::System;

/// The critical path through `calls`, where `owns` tells the systems whose answers lead to the
/// cadastre.
pub fn critical_path(calls: &[CallTime], owns: impl Fn(System) -> bool) -> Duration {
    let population: Vec<CallTime> = calls.iter().filter(|c| c.system == System::Pmlp).copied().collect();
    let slowest = |keep: &dyn Fn(System) -> bool| {
        calls.iter().filter(|c| keep(c.system)).map(CallTime::duration).max().unwrap_or_default()
    };
    let people = slowest(&|s| s != System::Pmlp && s != System::Cadastre && !owns(s));
    let ownership = slowest(&owns) + slowest(&|s| s == System::Cadastre);
    longest_chain(population) + people.max(ownership)
}

/// The longest sum of durations over calls each of which started after the one before ended.
fn longest_chain(mut by_end: Vec<CallTime>) -> Duration {
    by_end.sort_by_key(|c| c.ended);
    let mut longest: Vec<Duration> = Vec::with_capacity(by_end.len());
    for (i, call) in by_end.iter().enumerate() {
        let before = (0..i).filter(|&j| by_end[j].ended <= call.started).map(|j| longest[j]).max().unwrap_or_default();
        longest.push(before + call.duration());
    }
    longest.into_iter().max().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn call(system: System, start_ms: u64, end_ms: u64, zero: Instant) -> CallTime {
        CallTime {
            system,
            started: zero + Duration::from_millis(start_ms),
            ended: zero + Duration::from_millis(end_ms),
            sent: 0,
            received: 0,
        }
    }

    #[test]
    fn the_path_is_the_population_chain_then_the_slowest_branch() {
        let zero = Instant::now();
        let calls = [
            call(System::Pmlp, 0, 20, zero),   // the applicant's record
            call(System::Pmlp, 0, 21, zero),   // the address
            call(System::Pmlp, 22, 42, zero),  // its residents
            call(System::Vsaa, 45, 85, zero),  // the slowest person source
            call(System::Nva, 44, 64, zero),   // a faster one
            call(System::Vsaa, 90, 100, zero), // queued behind a limit: late, not long
            call(System::LandRegistry, 44, 64, zero),
            call(System::Cadastre, 66, 96, zero),
        ];
        // 21 + 20 for the population chain; owners 20 + cadastre 30 beat VSAA's 40.
        assert_eq!(critical_path(&calls, |s| s == System::LandRegistry), Duration::from_millis(91));
        // Without owners asked, VSAA's 40 ms call is the branch.
        assert_eq!(critical_path(&calls[..6], |s| s == System::LandRegistry), Duration::from_millis(81));
    }

    #[test]
    fn no_calls_no_path() {
        assert_eq!(critical_path(&[], |s| s == System::LandRegistry), Duration::ZERO);
    }
}
