//! The SIP INVITE the Mediation Server sends a trunk peer for one attempt.
//!
//! The only module that touches the SIP library (rsip), so it can be swapped
//! without touching routing. Delayed offer (no SDP body): the peer sees the
//! numbers, the addressing and the transport, which is what routing decides.

use rsip::headers::{CSeq, CallId, ContentLength, From, MaxForwards, To, Via};
use rsip::{Auth, Header, Headers, Host, HostWithPort, Method, Param, Request, Scheme, Uri, Version};

use crate::model::{Model, Transport};

use super::attempt::Attempt;

/// Characters a SIP URI user part may carry unescaped (RFC 3261 25.1).
fn escape_user(number: &str) -> String {
    let mut out = String::with_capacity(number.len());
    for b in number.bytes() {
        let plain = b.is_ascii_alphanumeric() || b"-_.!~*'()&=+$,;?/".contains(&b);
        if plain {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn phone_uri(number: &str, host: &str, port: Option<u16>, transport: Option<Transport>) -> Uri {
    let mut params = vec![Param::Other("user".into(), Some("phone".into()))];
    if let Some(t) = transport {
        params.push(Param::Transport(match t {
            Transport::Tls => rsip::Transport::Tls,
            Transport::Tcp => rsip::Transport::Tcp,
        }));
    }
    Uri {
        scheme: Some(Scheme::Sip),
        auth: Some(Auth { user: escape_user(number), password: None }),
        host_with_port: HostWithPort { host: Host::Domain(host.to_owned().into()), port: port.map(Into::into) },
        params,
        headers: vec![],
    }
}

/// Builds the INVITE for `attempt`. `call_id` makes Call-ID, branch and tag
/// unique and keeps the function deterministic.
pub fn outbound_invite(model: &Model, attempt: &Attempt, call_id: &str) -> Request {
    let trunk = model.trunk(attempt.candidate.trunk);
    let peer = model.peer(trunk.peer);
    let pool = model.mediation_pool(trunk.mediation_pool);
    let transport = trunk.transport;

    let request_uri = phone_uri(&attempt.called, &peer.fqdn, Some(trunk.peer_port), Some(transport));
    let to_uri = phone_uri(&attempt.called, &peer.fqdn, None, None);
    let calling = attempt.calling.as_deref().unwrap_or("anonymous");
    let from_uri = phone_uri(calling, &pool.fqdn, None, None);
    let contact =
        format!("<sip:{}:{};transport={}>", pool.fqdn, trunk.mediation_port, transport.as_str().to_lowercase());

    let mut headers = Headers::default();
    headers.push(Header::Via(Via::from(format!(
        "SIP/2.0/{} {}:{};branch=z9hG4bK{}",
        transport.as_str(),
        pool.fqdn,
        trunk.mediation_port,
        short_hash(call_id, attempt.candidate.trunk.0)
    ))));
    headers.push(Header::MaxForwards(MaxForwards::from("70")));
    headers.push(Header::From(From::from(format!("<{from_uri}>;tag={}", short_hash(call_id, u32::MAX)))));
    headers.push(Header::To(To::from(format!("<{to_uri}>"))));
    headers.push(Header::CallId(CallId::from(call_id)));
    headers.push(Header::CSeq(CSeq::from("1 INVITE")));
    headers.push(Header::Contact(rsip::headers::Contact::from(contact)));
    if attempt.calling.is_some() {
        headers.push(Header::Other("P-Asserted-Identity".into(), format!("<{from_uri}>")));
    }
    headers.push(Header::Other("Supported".into(), "ms-bypass, ms-dialog-route-set-update, 100rel".into()));
    headers.push(Header::ContentLength(ContentLength::from("0")));

    Request { method: Method::Invite, uri: request_uri, version: Version::V2, headers, body: Vec::new() }
}

/// A short, stable hex tag (FNV-1a) from a call id and a salt.
fn short_hash(s: &str, salt: u32) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(salt);
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:012x}", h & 0xffff_ffff_ffff)
}
