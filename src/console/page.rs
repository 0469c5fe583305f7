//! The console's HTML: one page and the sign-in form, with their CSS inline. Legible on a
//! laptop screen; works without script.

use gateway_adapters::transport::BreakerState;
use gateway_adapters::transport::resilience::Breaker;
use gateway_domain::System;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::api::AppState;
use crate::metrics::{RECENT_WINDOW, Recent, Side};
use crate::status_sync::{PartnerReport, SyncReport};
use crate::store::{DeadLetter, OutboxGlance, iso_time};

const STYLE: &str = r#"
:root { color-scheme: light; --line: #d7dbe0; --muted: #5b6570; --ok: #1b7f3b; --warn: #a35f00; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232a; background: #f5f6f8; }
header { background: #1f2a37; color: #fff; padding: 12px 24px; display: flex; align-items: center; gap: 16px; }
header h1 { font-size: 18px; margin: 0; font-weight: 600; }
header .when { color: #c5ccd6; font-size: 13px; margin-left: auto; }
header form { margin: 0; }
main { max-width: 1240px; margin: 0 auto; padding: 16px 24px 48px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px 16px; margin-top: 16px; }
h2 { font-size: 16px; margin: 4px 0 10px; }
h3 { font-size: 14px; margin: 14px 0 6px; }
p.note { color: var(--muted); margin: 4px 0 10px; font-size: 13px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); font-weight: 600; }
td.n, th.n { text-align: right; }
tr:last-child td { border-bottom: none; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
.closed { background: var(--ok); } .half_open { background: var(--warn); } .open { background: var(--bad); } .none { background: #8a939d; }
.bad { color: var(--bad); font-weight: 600; } .warn { color: var(--warn); font-weight: 600; } .muted { color: var(--muted); }
.banner { padding: 8px 12px; border-radius: 6px; margin-top: 16px; border: 1px solid; }
.banner.info { background: #e8f3ec; border-color: #b6dcc2; } .banner.error { background: #fbeaea; border-color: #eab4b0; }
button { font: inherit; font-size: 13px; padding: 3px 10px; border-radius: 4px; border: 1px solid #2d5fa8; background: #2f6fd0; color: #fff; cursor: pointer; }
button.quiet { background: transparent; border-color: #8a939d; color: #e8ecf1; }
form.inline { display: inline; margin: 0; }
code { font-size: 13px; }
.login { max-width: 560px; margin: 64px auto; }
.login textarea { width: 100%; height: 120px; font: 12px/1.4 ui-monospace, monospace; margin: 8px 0 12px; }
"#;

/// What the page shows.
pub(super) struct View<'a> {
    pub state: &'a AppState,
    pub outbox: Vec<OutboxGlance>,
    pub letters: Vec<DeadLetter>,
    pub listed: usize,
    pub syncs: Vec<SyncReport>,
    pub csrf: String,
    pub retried: Option<u64>,
    pub store_error: bool,
    pub now_ms: i64,
}

fn shell(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
}

fn breaker_badge(breaker: Option<&Breaker>) -> Markup {
    let (class, text) = match breaker.map(Breaker::state) {
        Some(BreakerState::Closed) => ("closed", "closed"),
        Some(BreakerState::HalfOpen) => ("half_open", "half-open"),
        Some(BreakerState::Open) => ("open", "open"),
        None => ("none", "not here"),
    };
    html! { span class={ "badge " (class) } data-breaker=(class) { (text) } }
}

fn error_rate(recent: &Recent) -> Markup {
    match recent.error_percent() {
        None => html! { span.muted { "–" } },
        Some(percent) => {
            let class = if percent >= 20.0 {
                "bad"
            } else if percent > 0.0 {
                "warn"
            } else {
                ""
            };
            html! { span class=(class) { (format!("{percent:.0} %")) } }
        }
    }
}

fn millis(value: Option<u64>) -> Markup {
    match value {
        Some(ms) => html! { (format!("{ms} ms")) },
        None => html! { span.muted { "–" } },
    }
}

/// A span of time as people read it: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`.
pub(super) fn age(ms: i64) -> String {
    let secs = (ms / 1000).max(0);
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min {} s", secs / 60, secs % 60),
        3600..86_400 => format!("{} h {} min", secs / 3600, secs % 3600 / 60),
        _ => format!("{} d {} h", secs / 86_400, secs % 86_400 / 3600),
    }
}

fn recent_cells(recent: &Recent) -> Markup {
    html! {
        td.n { (recent.calls) }
        td.n { (error_rate(recent)) }
        td.n { (millis(recent.mean_ms)) }
        td.n { (millis(recent.max_ms)) }
    }
}

fn registries(view: &View<'_>) -> Markup {
    let metrics = &view.state.metrics;
    html! {
        section #registries {
            h2 { "Registries" }
            p.note { "Calls the gateway made in the last " (RECENT_WINDOW.as_secs() / 60) " minutes, retries included; "
                "an error is an answer other than a record or “not found”." }
            table {
                thead { tr { th { "System" } th { "Breaker" } th.n { "Calls" } th.n { "Errors" } th.n { "Mean" } th.n { "Slowest" } } }
                tbody {
                    @for (system, breaker) in &view.state.breakers {
                        @let recent = metrics.recent(Side::Registry, *system);
                        tr data-system=(system.key()) {
                            td { (system_name(*system)) }
                            td { (breaker_badge(Some(breaker))) }
                            (recent_cells(&recent))
                        }
                    }
                }
            }
        }
    }
}

fn partners(view: &View<'_>) -> Markup {
    let metrics = &view.state.metrics;
    let breaker = |system: System| view.state.partner_breakers.iter().find(|(s, _)| *s == system).map(|(_, b)| b);
    html! {
        section #partners {
            h2 { "Partners" }
            p.note { "Deliveries in the last " (RECENT_WINDOW.as_secs() / 60) " minutes (an error is an attempt to retry or a dead letter), "
                "and what waits in the outbox now. “Not here”: this process does not deliver to the partner; its breaker is in the process that does." }
            table {
                thead { tr {
                    th { "Partner" } th { "Breaker" } th.n { "Deliveries" } th.n { "Errors" } th.n { "Mean" } th.n { "Slowest" }
                    th.n { "Pending" } th { "Oldest pending" } th.n { "Dead letters" } th {}
                } }
                tbody {
                    @for glance in &view.outbox {
                        @let recent = metrics.recent(Side::Partner, glance.partner);
                        tr data-partner=(glance.partner.key()) {
                            td { (system_name(glance.partner)) }
                            td { (breaker_badge(breaker(glance.partner))) }
                            (recent_cells(&recent))
                            td.n { (glance.pending) }
                            td {
                                @match glance.oldest_pending_at {
                                    Some(at) => { (age(view.now_ms - at)) " " span.muted { "(since " (iso_time(at)) ")" } }
                                    None => span.muted { "–" },
                                }
                            }
                            td.n { @if glance.dead_letters > 0 { span.bad { (glance.dead_letters) } } @else { "0" } }
                            td {
                                @if glance.dead_letters > 0 {
                                    form.inline method="post" action="/console/dead-letters/retry" {
                                        input type="hidden" name="csrf" value=(view.csrf);
                                        input type="hidden" name="partner" value=(glance.partner.key());
                                        button type="submit" { "Retry all " (glance.dead_letters) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn dead_letters(view: &View<'_>) -> Markup {
    let shown = view.letters.iter().take(view.listed);
    html! {
        section #dead-letters {
            h2 { "Dead letters (" (view.letters.len()) ")" }
            p.note { "Deliveries the sync gave up on. Retry puts one back in the outbox with fresh attempts; the next sync delivers it." }
            @if view.letters.is_empty() {
                p.muted { "None." }
            } @else {
                table {
                    thead { tr {
                        th { "Partner" } th { "Decision" } th.n { "Version" } th { "Reason" } th { "Last error" }
                        th.n { "Attempts" } th { "Since" } th {}
                    } }
                    tbody {
                        @for letter in shown {
                            tr.dead-letter data-partner=(letter.partner) data-decision=(letter.decision_ref) {
                                td { (letter.partner) }
                                td { code { (letter.decision_ref) } }
                                td.n { (letter.version) }
                                td { (letter.reason) }
                                td { code { (letter.last_error.as_deref().unwrap_or("–")) } }
                                td.n { (letter.attempts) }
                                td { (age(view.now_ms - letter.dead_at)) " ago" }
                                td {
                                    form.inline method="post" action="/console/dead-letters/retry" {
                                        input type="hidden" name="csrf" value=(view.csrf);
                                        input type="hidden" name="partner" value=(letter.partner);
                                        input type="hidden" name="decision" value=(letter.decision_ref);
                                        button type="submit" { "Retry" }
                                    }
                                }
                            }
                        }
                    }
                }
                @if view.letters.len() > view.listed {
                    p.note { "And " (view.letters.len() - view.listed) " more: " code { "gateway deadletters list" } " lists them all." }
                }
            }
        }
    }
}

fn report_row(name: &str, p: &PartnerReport) -> Markup {
    html! {
        tr {
            td { (name) }
            td.n { (p.delivered) } td.n { (p.duplicates) } td.n { (p.retried) } td.n { (p.shed) }
            td.n { @if p.dead_lettered > 0 { span.bad { (p.dead_lettered) } } @else { "0" } }
            td.n { (p.left_for_later) }
            td { @if let Some(error) = &p.error { span.bad { (error) } } }
        }
    }
}

fn syncs(view: &View<'_>) -> Markup {
    html! {
        section #syncs {
            h2 { "Last sync runs" }
            p.note { "The last " (crate::status_sync::KEPT_REPORTS) " runs of this process (its schedule), the latest first; "
                "a " code { "gateway sync" } " run elsewhere shows in the outbox and dead letters above." }
            @if view.syncs.is_empty() {
                p.muted { "No run since this process started." }
            }
            @for report in &view.syncs {
                h3.sync-run {
                    (report.started_at) " · " (format!("{:.1} s", report.elapsed_ms as f64 / 1000.0)) " · "
                    @if report.is_clean() { span { "ran to its end" } } @else { span.bad { "stopped early" } }
                }
                table {
                    thead { tr {
                        th { "Partner" } th.n { "Delivered" } th.n { "Duplicates" } th.n { "Retried" } th.n { "Shed" }
                        th.n { "Dead-lettered" } th.n { "Left for later" } th { "Error" }
                    } }
                    tbody {
                        @for p in &report.partners {
                            (report_row(p.partner.map_or("?", System::key), p))
                        }
                        (report_row("total", &report.total()))
                        @if let Some(push) = &report.case_system {
                            tr {
                                td { "case system (changes)" }
                                td.n { (push.delivered) } td.n {} td.n { (push.retried) } td.n {}
                                td.n { (push.dead_lettered) } td.n { (push.left_for_later) }
                                td { @if let Some(error) = &push.error { span.bad { (error) } } }
                            }
                        }
                    }
                }
                @if let Some(pull) = &report.execution_reports {
                    p.note {
                        "Execution reports: " (pull.summary.pages) " page(s), " (pull.summary.stored) " stored, "
                        (pull.summary.repeated) " repeated"
                        @if let Some(error) = &pull.error { "; " span.bad { (error) } }
                    }
                }
            }
        }
    }
}

/// A system as operators call it.
fn system_name(system: System) -> String {
    match system {
        System::Pmlp => "PMLP (Population Register)".into(),
        System::Vdeavk => "VDEĀVK".into(),
        System::LandRegistry => "Land Registry".into(),
        System::Cadastre => "VZD cadastre".into(),
        System::Digisoc => "DigiSoc".into(),
        other => other.key().to_uppercase(),
    }
}

/// The console.
pub(super) fn console(view: &View<'_>) -> Markup {
    let open: Vec<&str> = view
        .state
        .breakers
        .iter()
        .chain(&view.state.partner_breakers)
        .filter(|(_, b)| b.state() != BreakerState::Closed)
        .map(|(s, _)| s.key())
        .collect();
    shell(
        "Registry gateway · console",
        html! {
            header {
                h1 { "Registry gateway · operator console" }
                span.when { "As of " (iso_time(view.now_ms)) " · " a href="/console" style="color:#c5ccd6" { "refresh" } }
                form method="post" action="/console/logout" {
                    input type="hidden" name="csrf" value=(view.csrf);
                    button.quiet type="submit" { "Sign out" }
                }
            }
            main {
                @if let Some(n) = view.retried {
                    div.banner.info #retried { (n) " dead letter(s) put back in the outbox; the next sync delivers them." }
                }
                @if view.store_error {
                    div.banner.error { "The store did not answer: the outbox and dead letters are not shown." }
                }
                @if !open.is_empty() {
                    div.banner.error #not-closed { "Circuit breaker not closed: " (open.join(", ")) ". Their answers carry gaps until it closes." }
                }
                (registries(view))
                (partners(view))
                (dead_letters(view))
                (syncs(view))
            }
        },
    )
}

/// The sign-in form.
pub(super) fn login(refused: Option<&str>) -> Markup {
    shell(
        "Registry gateway · sign in",
        html! {
            header { h1 { "Registry gateway · operator console" } }
            main {
                section.login {
                    h2 { "Sign in" }
                    p.note { "Paste a token from the identity provider that carries the " code { "operator" } " role. "
                        "It is kept in a cookie for this console only, until it expires or you sign out." }
                    @if let Some(reason) = refused {
                        div.banner.error #refused { (reason) }
                    }
                    form method="post" action="/console/login" {
                        label for="token" { "Operator token" }
                        textarea #token name="token" autocomplete="off" spellcheck="false" required {}
                        button type="submit" #sign-in { "Sign in" }
                    }
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_as_people_say_them() {
        assert_eq!(age(45_000), "45 s");
        assert_eq!(age(125_000), "2 min 5 s");
        assert_eq!(age(3 * 3_600_000 + 5 * 60_000), "3 h 5 min");
        assert_eq!(age(2 * 86_400_000 + 4 * 3_600_000), "2 d 4 h");
        assert_eq!(age(-5), "0 s");
    }
}
