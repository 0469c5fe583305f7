//! The schedule inside `gateway serve`: a run at every time the cron expression names, in the
//! configured time zone (so 02:00 stays 02:00 across daylight-saving changes).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Progress, StatusSync, StatusSyncConfigError};

/// The first time after `after` the schedule names.
pub fn next_run(
    config: &super::StatusSyncConfig,
    after: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StatusSyncConfigError> {
    let schedule = config.cron()?;
    let tz = config.tz()?;
    Ok(schedule.after(&after.with_timezone(&tz)).next().map(|t| t.with_timezone(&Utc)))
}

/// Runs the sync at every scheduled time until its shutdown token is cancelled (a run in
/// progress then stops as [`StatusSync::with_shutdown`] says); returns early only on a bad
/// schedule.
pub async fn run_on_schedule(sync: StatusSync) -> anyhow::Result<()> {
    loop {
        if sync.shutdown().is_cancelled() {
            return Ok(());
        }
        let now = Utc::now();
        let Some(next) = next_run(sync.config(), now)? else {
            tracing::warn!("The status sync schedule names no future time; no sync will run.");
            return Ok(());
        };
        tracing::info!(next_run = %next.to_rfc3339(), "Status sync scheduled.");
        let wait = (next - now).to_std().unwrap_or(Duration::ZERO);
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = sync.shutdown().cancelled() => return Ok(()),
        }
        let report = sync.run_once(Progress::Hidden).await;
        if !report.is_clean() {
            tracing::warn!("A scheduled status sync ended with errors; see the report.");
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::status_sync::StatusSyncConfig;

    #[test]
    fn the_default_schedule_is_two_at_night_in_riga_across_daylight_saving() {
        let config = StatusSyncConfig::default();
        // Winter: Riga is UTC+2, so 02:00 local is 00:00 UTC.
        let winter = next_run(&config, Utc.with_ymd_and_hms(2026, 1, 10, 12, 0, 0).unwrap()).unwrap().unwrap();
        assert_eq!(winter, Utc.with_ymd_and_hms(2026, 1, 11, 0, 0, 0).unwrap());
        // Summer: UTC+3, so 02:00 local is 23:00 UTC the day before.
        let summer = next_run(&config, Utc.with_ymd_and_hms(2026, 7, 10, 12, 0, 0).unwrap()).unwrap().unwrap();
        assert_eq!(summer, Utc.with_ymd_and_hms(2026, 7, 10, 23, 0, 0).unwrap());
    }

    #[test]
    fn a_bad_schedule_or_zone_is_a_config_error() {
        let config = StatusSyncConfig { schedule: "every night".into(), ..StatusSyncConfig::default() };
        assert!(matches!(config.validate(), Err(StatusSyncConfigError::Schedule)));
        let config = StatusSyncConfig { timezone: "Europe/Atlantis".into(), ..StatusSyncConfig::default() };
        assert!(matches!(config.validate(), Err(StatusSyncConfigError::Timezone)));
    }
}
