//! Location policies (`New-CsLocationPolicy`): the E9-1-1 settings that
//! make a dialed number an emergency call and route it
//! (docs/lync-behaviour.md, "Emergency calls").

use super::super::file::*;
use super::super::*;
use super::scopes::{canonical_scope, Scope, ScopeNames};
use super::{Builder, Names};

/// Longest `EmergencyDialString`, in digits (the cmdlet's limit).
pub(super) const MAX_DIAL_STRING: usize = 10;
/// Longest `EmergencyDialMask` string, masks and `;` together.
pub(super) const MAX_DIAL_MASK: usize = 100;

impl Builder {
    pub(super) fn location_policy(
        &mut self,
        p: &LocationPolicyFile,
        obj: &str,
        ctx: &ScopeNames,
        usage_names: &Names,
    ) -> Option<LocationPolicy> {
        let scope = match self.scope(obj, &p.scope, ctx, &["global", "site", "user"])? {
            Scope::Global => LocationPolicyScope::Global,
            Scope::Site(s) => LocationPolicyScope::Site(s),
            Scope::User => LocationPolicyScope::User,
            _ => unreachable!("scope() returns only the allowed kinds"),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let dial = p.emergency_dial_string.as_ref().map(|s| s.trim().to_owned());
        if let Some(d) = &dial {
            if !digits(d) || d.len() > MAX_DIAL_STRING {
                self.err(
                    obj,
                    "emergency_dial_string",
                    format!("\"{d}\" is not a dial string: 1 to {MAX_DIAL_STRING} digits 0-9, without '+' (\"911\")"),
                );
            }
        } else if p.enhanced_emergency_services_enabled {
            self.err(
                obj,
                "emergency_dial_string",
                "E9-1-1 is enabled (enhanced_emergency_services_enabled) but no emergency_dial_string says which \
                 number is an emergency call; give it (\"911\")",
            );
        }
        let mut masks = Vec::new();
        if let Some(text) = &p.emergency_dial_mask {
            if text.len() > MAX_DIAL_MASK {
                self.err(obj, "emergency_dial_mask", format!("is longer than {MAX_DIAL_MASK} characters"));
            }
            for m in text.split(';').map(str::trim).filter(|m| !m.is_empty()) {
                if !digits(m) {
                    self.err(
                        obj,
                        "emergency_dial_mask",
                        format!("\"{m}\" is not a mask: digits 0-9 only, masks separated by ';' (\"112;999\")"),
                    );
                } else if dial.as_deref() == Some(m) || masks.iter().any(|x: &String| x == m) {
                    self.err(obj, "emergency_dial_mask", format!("\"{m}\" is listed twice, or is the dial string"));
                } else {
                    masks.push(m.to_owned());
                }
            }
        }
        let pstn_usage = p
            .pstn_usage
            .as_ref()
            .and_then(|u| self.usages(obj, "pstn_usage", std::slice::from_ref(u), usage_names).first().copied());
        Some(LocationPolicy {
            identity: canonical_scope(&p.scope),
            scope,
            enhanced_emergency_services: p.enhanced_emergency_services_enabled,
            emergency_dial_string: dial,
            emergency_dial_masks: masks,
            pstn_usage,
        })
    }
}

/// The global location policy Lync always has: E9-1-1 off.
pub(super) fn default_location_policy() -> LocationPolicy {
    LocationPolicy {
        identity: "Global".into(),
        scope: LocationPolicyScope::Global,
        enhanced_emergency_services: false,
        emergency_dial_string: None,
        emergency_dial_masks: Vec::new(),
        pstn_usage: None,
    }
}
