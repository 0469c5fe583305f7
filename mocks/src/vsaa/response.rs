//! Writing `GetPersonIncomesResponse` envelopes and SOAP faults as `schemas/vsaa/` defines
//! them. Text goes through the XML writer, which escapes it.

use std::io;

use gateway_domain::IncomeKind;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::request::{INCOME_NS, SOAP_ENVELOPE_NS};
use crate::population::TrueIncome;

/// The `Code` of a `ServiceFault`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FaultCode {
    PersonNotFound,
    NotAuthorised,
    InvalidRequest,
    PeriodTooLong,
}

impl FaultCode {
    fn wire(self) -> &'static str {
        match self {
            FaultCode::PersonNotFound => "PERSON_NOT_FOUND",
            FaultCode::NotAuthorised => "NOT_AUTHORISED",
            FaultCode::InvalidRequest => "INVALID_REQUEST",
            FaultCode::PeriodTooLong => "PERIOD_TOO_LONG",
        }
    }

    /// SOAP 1.1 says whose fault it was: all of these are the caller's.
    fn soap_fault_code(self) -> &'static str {
        match self {
            FaultCode::PersonNotFound
            | FaultCode::NotAuthorised
            | FaultCode::InvalidRequest
            | FaultCode::PeriodTooLong => "soap:Client",
        }
    }
}

/// The wire name of an income kind (`IncomeKind` in `income.xsd`); `None` for the kinds VSAA
/// does not pay (NVA's), which its contract has no code for.
pub(super) fn kind_code(kind: IncomeKind) -> Option<&'static str> {
    Some(match kind {
        IncomeKind::OldAgePension => "OLD_AGE_PENSION",
        IncomeKind::DisabilityPension => "DISABILITY_PENSION",
        IncomeKind::SurvivorPension => "SURVIVOR_PENSION",
        IncomeKind::ServicePension => "SERVICE_PENSION",
        IncomeKind::UnemploymentBenefit => "UNEMPLOYMENT_BENEFIT",
        IncomeKind::SicknessBenefit => "SICKNESS_BENEFIT",
        IncomeKind::MaternityBenefit => "MATERNITY_BENEFIT",
        IncomeKind::PaternityBenefit => "PATERNITY_BENEFIT",
        IncomeKind::ParentalBenefit => "PARENTAL_BENEFIT",
        IncomeKind::FamilyStateBenefit => "FAMILY_STATE_BENEFIT",
        IncomeKind::ChildCareBenefit => "CHILD_CARE_BENEFIT",
        IncomeKind::DisabilityCareAllowance => "DISABILITY_CARE_ALLOWANCE",
        IncomeKind::InsuredIncome => "INSURED_INCOME",
        IncomeKind::TrainingStipend | IncomeKind::PublicWorksAllowance => return None,
    })
}

/// A `GetPersonIncomesResponse` with one `Income` per record.
pub(super) fn incomes(person_code: &str, incomes: &[TrueIncome]) -> Vec<u8> {
    envelope(|w| {
        w.create_element("inc:GetPersonIncomesResponse").write_inner_content(|w| {
            leaf(w, "inc:PersonCode", person_code)?;
            // The population gives VSAA only the kinds it pays; anything else is not its to report.
            for (income, kind) in incomes.iter().filter_map(|i| Some((i, kind_code(i.kind)?))) {
                w.create_element("inc:Income").write_inner_content(|w| {
                    leaf(w, "inc:RecordId", &income.record_id)?;
                    leaf(w, "inc:Month", &income.month.to_string())?;
                    leaf(w, "inc:Kind", kind)?;
                    leaf(w, "inc:Amount", &income.amount.to_decimal_string())
                })?;
            }
            Ok(())
        })?;
        Ok(())
    })
}

/// A SOAP fault with a `ServiceFault` detail; `request_id` is echoed when the request had one.
pub(super) fn fault(code: FaultCode, reason: &str, request_id: Option<&str>) -> Vec<u8> {
    envelope(|w| {
        w.create_element("soap:Fault").write_inner_content(|w| {
            leaf(w, "faultcode", code.soap_fault_code())?;
            leaf(w, "faultstring", reason)?;
            w.create_element("detail").write_inner_content(|w| {
                w.create_element("inc:ServiceFault").write_inner_content(|w| {
                    leaf(w, "inc:Code", code.wire())?;
                    if let Some(id) = request_id {
                        leaf(w, "inc:RequestId", id)?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
            Ok(())
        })?;
        Ok(())
    })
}

type XmlWriter = Writer<Vec<u8>>;

fn envelope(body: impl FnOnce(&mut XmlWriter) -> io::Result<()>) -> Vec<u8> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written = writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None))).and_then(|()| {
        writer
            .create_element("soap:Envelope")
            .with_attribute(("xmlns:soap", SOAP_ENVELOPE_NS))
            .with_attribute(("xmlns:inc", INCOME_NS))
            .write_inner_content(|w| {
                w.create_element("soap:Body").write_inner_content(body)?;
                Ok(())
            })
            .map(|_| ())
    });
    // Writing into a `Vec` cannot fail; an empty body would be refused by any client.
    if written.is_err() {
        return Vec::new();
    }
    writer.into_inner()
}

fn leaf(writer: &mut XmlWriter, name: &str, text: &str) -> io::Result<()> {
    writer.create_element(name).write_text_content(BytesText::new(text))?;
    Ok(())
}
