//! A small network for behaviour tests, and helpers around it.
#![allow(dead_code)]

use voicetwin::model::{load_str, Model};
use voicetwin::voice::{Caller, Decision, Router, TrunkStates};

/// One central site and one branch; three gateways and an ITSP on one
/// stand-alone Mediation pool; routes that exercise usage order, route
/// priority and an unanchored pattern.
pub const SMALL: &str = r#"
pstn_usages = ["Local", "LD", "Backup", "Intl"]

[[region]]
name = "R"
central_site = "HQ"

[[site]]
name = "HQ"
kind = "central"
region = "R"

[[site]]
name = "Branch"
kind = "branch"
region = "R"

[[registrar_pool]]
fqdn = "fe.hq.example.com"
site = "HQ"
kind = "front-end"
servers = 2

[[registrar_pool]]
fqdn = "sba.branch.example.com"
site = "Branch"
kind = "sba"

[[mediation_pool]]
fqdn = "med.hq.example.com"
site = "HQ"
kind = "stand-alone"
servers = 2

[[peer]]
name = "gw1"
fqdn = "gw1.example.com"
kind = "pstn-gateway"
site = "HQ"
t1_spans = 1

[[peer]]
name = "gw2"
fqdn = "gw2.example.com"
kind = "pstn-gateway"
site = "HQ"
t1_spans = 1

[[peer]]
name = "gw3"
fqdn = "gw3.example.com"
kind = "pstn-gateway"
site = "HQ"
e1_spans = 1

[[peer]]
name = "itsp"
fqdn = "sbc.itsp.example.net"
kind = "itsp-sbc"
site = "HQ"
session_limit = 10

[[trunk]]
name = "gw1"
mediation_pool = "med.hq.example.com"
peer = "gw1"

[[trunk]]
name = "gw2"
mediation_pool = "med.hq.example.com"
peer = "gw2"

[[trunk]]
name = "gw3"
mediation_pool = "med.hq.example.com"
peer = "gw3"

[[trunk]]
name = "itsp"
mediation_pool = "med.hq.example.com"
peer = "itsp"
peer_port = 5061

[[voice_route]]
name = "LocalA"
number_pattern = '^\+1425\d{7}$'
pstn_usages = ["Local"]
pstn_gateways = ["gw1", "gw2"]
priority = 0

[[voice_route]]
name = "LocalB"
number_pattern = '^\+1425\d{7}$'
pstn_usages = ["Local"]
pstn_gateways = ["gw3"]
priority = 1

[[voice_route]]
name = "LD"
number_pattern = '^\+1\d{10}$'
pstn_usages = ["LD"]
pstn_gateways = ["gw2"]

[[voice_route]]
name = "Backup"
# The cmdlet default: unanchored, matches inside longer numbers.
number_pattern = '[0-9]{10}'
pstn_usages = ["Backup"]
pstn_gateways = ["itsp"]

[[voice_route]]
name = "Intl"
number_pattern = '^\+44\d+$'
pstn_usages = ["Intl"]
pstn_gateways = ["gw3"]
suppress_caller_id = true
alternate_caller_id = "+14255550100"

[[voice_policy]]
scope = "global"
pstn_usages = ["Local", "LD", "Backup"]

[[voice_policy]]
scope = "site:Branch"
pstn_usages = ["LD"]

[[voice_policy]]
scope = "tag:Intl"
pstn_usages = ["Intl", "Local"]

[[dial_plan]]
scope = "global"
normalization_rules = [
  { name = "4digitExtension", pattern = '^(\d{4})$', translation = '+1425555$1' },
  { name = "7digitcallingRedmond", pattern = '^(\d{7})$', translation = '+1425$1' },
  { name = "10digitcallingUS", pattern = '^(\d{10})$', translation = '+1$1' },
  { name = "LDCallingUS", pattern = '^1(\d{10})$', translation = '+$1' },
  { name = "IntlCallingUS", pattern = '^011(\d*)$', translation = '+$1' },
]

[[dial_plan]]
scope = "site:Branch"
normalization_rules = [
  { name = "7digitcallingDallas", pattern = '^(\d{7})$', translation = '+1972$1' },
]

[[dial_plan]]
scope = "Registrar:fe.hq.example.com"
external_access_prefix = "9"
optimize_device_dialing = true
normalization_rules = [
  { name = "5digitExtension", pattern = '^5(\d{4})$', translation = '+1425555$1' },
  { name = "7digitcallingRedmond", pattern = '^(\d{7})$', translation = '+1425$1' },
  { name = "10digitcallingUS", pattern = '^(\d{10})$', translation = '+1$1' },
  { name = "IntlCallingUS", pattern = '^011(\d*)$', translation = '+$1' },
  { name = "RedmondOperator", pattern = '^0$', translation = '+14255550100' },
]

[[dial_plan]]
scope = "tag:Dallas"
normalization_rules = [
  { name = "7digitcallingDallas", pattern = '^(\d{7})$', translation = '+1972$1' },
]

[[dial_plan]]
scope = "PstnGateway:gw1"
normalization_rules = [
  { name = "DID4", pattern = '^(\d{4})$', translation = '+1425555$1' },
]

[[trunk_configuration]]
scope = "global"
outbound_translation_rules = [
  { name = "StripPlus", pattern = '^\+(\d*)$', translation = '$1' },
]

[[trunk_configuration]]
scope = "PstnGateway:gw2"
outbound_translation_rules = [
  { name = "Local7", pattern = '^\+1425(\d{7})$', translation = '$1' },
  { name = "NANP11", pattern = '^\+(1\d{10})$', translation = '$1' },
]
outbound_calling_number_translation_rules = [
  { name = "CLI10", pattern = '^\+1(\d{10})$', translation = '$1' },
]
sip_response_code_translation_rules = [
  { name = "NoCircuit", received_response_code = 486, received_isup_cause_value = 34, translated_response_code = 503 },
]

[[trunk_configuration]]
scope = "PstnGateway:itsp"
enable_fast_failover_timer = false
remove_plus_from_uri = true

[[user_group]]
name = "hq"
site = "HQ"
registrar_pool = "fe.hq.example.com"
users = 100
first_number = "+14255550100"

[[user_group]]
name = "branch"
site = "Branch"
registrar_pool = "sba.branch.example.com"
users = 50
first_number = "+19725550100"

[[user_group]]
name = "dallas"
site = "Branch"
registrar_pool = "sba.branch.example.com"
users = 10
first_number = "+19725559000"
dial_plan = "Dallas"

[[user_group]]
name = "intl"
site = "HQ"
registrar_pool = "fe.hq.example.com"
users = 5
first_number = "+14255559000"
voice_policy = "Intl"
"#;

pub fn small() -> Model {
    load_str(SMALL, "small.toml").expect("the small test model loads")
}

/// The small model with `from` replaced by `to` (must occur).
pub fn small_with(from: &str, to: &str) -> String {
    assert!(SMALL.contains(from), "test edit target not found: {from}");
    SMALL.replacen(from, to, 1)
}

pub fn user(model: &Model, group: &str) -> Caller {
    let (group, index) = model.find_user(group).unwrap();
    Caller::User { group, index }
}

pub fn decide(model: &Model, caller: Caller, dialed: &str) -> Decision {
    Router::new(model).decide(caller, dialed, None, &TrunkStates::all_up(model), 0)
}

pub fn trunk_names(model: &Model, d: &Decision) -> Vec<String> {
    d.candidates.iter().map(|c| model.trunk(c.trunk).name.clone()).collect()
}

pub fn usage_names(model: &Model, d: &Decision) -> Vec<String> {
    d.candidates.iter().map(|c| model.usage(c.usage).to_owned()).collect()
}
