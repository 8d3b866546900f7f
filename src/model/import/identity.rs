//! Lync's `Identity` values and the model's scopes.
//!
//! Policies and configurations are scoped `Global`, `Site:Redmond`,
//! `Tag:RedmondPolicy` (per-user), or to a service:
//! `Service:PstnGateway:gw1.contoso.com`, which cmdlets also accept as
//! `PstnGateway:gw1.contoso.com`. Rules add their name after a slash:
//! `Site:Redmond/4digit`.

/// Where a policy, plan or configuration applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Global,
    Site(String),
    Tag(String),
    /// A service by role and FQDN (`PstnGateway`, `Registrar`, ...).
    Service {
        role: String,
        fqdn: String,
    },
}

impl Scope {
    /// The scope as the model writes it (`global`, `site:X`, `tag:X`,
    /// `PstnGateway:X`, `Registrar:X`).
    pub fn to_model(&self) -> String {
        match self {
            Scope::Global => "global".into(),
            Scope::Site(s) => format!("site:{s}"),
            Scope::Tag(t) => format!("tag:{t}"),
            Scope::Service { role, fqdn } => format!("{role}:{fqdn}"),
        }
    }

    /// The scope as Lync writes it in an `Identity`.
    pub fn to_identity(&self) -> String {
        match self {
            Scope::Global => "Global".into(),
            Scope::Site(s) => format!("Site:{s}"),
            Scope::Tag(t) => format!("Tag:{t}"),
            Scope::Service { role, fqdn } => format!("Service:{role}:{fqdn}"),
        }
    }
}

/// The scope of an `Identity`, with the rule name after a `/` when there
/// is one. `Err` says what forms are known.
pub fn parse(identity: &str) -> Result<(Scope, Option<String>), String> {
    let id = identity.trim();
    let (scope, rule) = match id.split_once('/') {
        Some((s, r)) => (s.trim(), Some(r.trim().to_owned())),
        None => (id, None),
    };
    let scope = parse_scope(scope).ok_or_else(|| {
        format!(
            "`{identity}` is not an Identity Lync writes; expected Global, Site:NAME, Tag:NAME or \
             Service:ROLE:FQDN (a rule adds /NAME)"
        )
    })?;
    Ok((scope, rule))
}

fn parse_scope(s: &str) -> Option<Scope> {
    if s.eq_ignore_ascii_case("global") {
        return Some(Scope::Global);
    }
    let (head, rest) = s.split_once(':')?;
    let rest = rest.trim();
    if rest.is_empty() {
        return None;
    }
    Some(match head.trim().to_ascii_lowercase().as_str() {
        "site" => Scope::Site(rest.to_owned()),
        "tag" => Scope::Tag(rest.to_owned()),
        "service" => {
            let (role, fqdn) = rest.split_once(':')?;
            Scope::Service { role: canonical_role(role), fqdn: fqdn.trim().to_owned() }
        }
        _ => Scope::Service { role: canonical_role(head), fqdn: rest.to_owned() },
    })
}

/// `PstnGatewayServer` and `pstngateway` are the role `PstnGateway`.
fn canonical_role(role: &str) -> String {
    let r = role.trim();
    match r.to_ascii_lowercase().as_str() {
        "pstngateway" | "pstngatewayserver" => "PstnGateway".into(),
        "registrar" => "Registrar".into(),
        "mediationserver" => "MediationServer".into(),
        _ => r.to_owned(),
    }
}

/// The FQDN of a service identity (`Service:PstnGateway:gw1` and
/// `PstnGateway:gw1` give `gw1`); a bare FQDN is itself.
pub fn service_fqdn(identity: &str) -> String {
    match parse_scope(identity.trim()) {
        Some(Scope::Service { fqdn, .. }) => fqdn,
        _ => identity.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_documented_form() {
        assert_eq!(parse("Global").unwrap(), (Scope::Global, None));
        assert_eq!(parse("Site:Redmond").unwrap(), (Scope::Site("Redmond".into()), None));
        assert_eq!(parse("Tag:RedmondPolicy").unwrap(), (Scope::Tag("RedmondPolicy".into()), None));
        let gw = Scope::Service { role: "PstnGateway".into(), fqdn: "gw1.contoso.com".into() };
        assert_eq!(parse("PstnGateway:gw1.contoso.com").unwrap().0, gw);
        assert_eq!(parse("Service:PstnGateway:gw1.contoso.com").unwrap().0, gw);
        assert_eq!(parse("PstnGateway:192.168.0.240").unwrap().0.to_model(), "PstnGateway:192.168.0.240");
        assert_eq!(parse("Site:Redmond/4digit").unwrap(), (Scope::Site("Redmond".into()), Some("4digit".into())));
        assert_eq!(service_fqdn("Service:PstnGateway:gw1.contoso.com"), "gw1.contoso.com");
        assert_eq!(service_fqdn("gw1.contoso.com"), "gw1.contoso.com");
        assert!(parse("Redmond").is_err());
        assert!(parse("Site:").is_err());
    }
}
