//! The personal-code parser: any text is either a code that writes back as it reads, or an
//! error; never a panic.
#![no_main]

use gateway_domain::PersonCode;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(code) = PersonCode::parse(text) {
        let again = PersonCode::parse(code.as_str()).expect("a parsed code parses again");
        assert_eq!(again, code);
        assert_eq!(PersonCode::parse(&code.hyphenated()).expect("its hyphenated form parses"), code);
    }
});
