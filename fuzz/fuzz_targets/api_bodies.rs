//! The API's strict JSON reader and the status-decision body it feeds: any bytes are a value
//! or a refusal, and any value is decisions or a field error; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(value) = registry_gateway::json::parse(bytes) {
        let _ = registry_gateway::decisions::parse_body(&value);
    }
});
