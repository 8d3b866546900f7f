//! Site scope follows the site of a user's home pool, not where the user
//! sits ("Branch-site resiliency requirements for Lync Server 2013"): a
//! branch homed on the central pool gets the central site's plan and
//! policy, and a site-scoped object nobody gets is a lint.

mod common;

use common::{decide, small_with, user};
use voicetwin::model::{lint::lint, load_str};

/// The small model plus branch users homed on the HQ pool.
fn with_branch_users_on_hq() -> String {
    small_with(
        "[[user_group]]\nname = \"intl\"",
        "[[user_group]]\nname = \"branch-on-hq\"\nsite = \"Branch\"\nregistrar_pool = \"fe.hq.example.com\"\nusers = 20\nfirst_number = \"+19725558000\"\n\n[[user_group]]\nname = \"intl\"",
    )
}

#[test]
fn branch_users_homed_on_the_central_pool_get_its_sites_plan_and_policy() {
    let m = load_str(&with_branch_users_on_hq(), "scope.toml").unwrap();
    // On the SBA at Branch: site:Branch's plan and policy.
    let on_sba = m.user_group(m.find_user("branch").unwrap().0);
    assert_eq!(m.dial_plan(on_sba.dial_plan).identity, "site:Branch");
    assert_eq!(m.voice_policy(on_sba.voice_policy).identity, "site:Branch");
    // Sitting at Branch but homed on HQ's pool: its pool plan, and HQ's
    // site policy (HQ has none: the global one), not Branch's.
    let on_hq = m.user_group(m.find_user("branch-on-hq").unwrap().0);
    assert_eq!(m.dial_plan(on_hq.dial_plan).identity, "Registrar:fe.hq.example.com");
    assert_eq!(m.voice_policy(on_hq.voice_policy).identity, "Global");
    // The difference shows in routing: 7 digits are Redmond's, not Dallas's.
    assert_eq!(decide(&m, user(&m, "branch-on-hq"), "5550100").normalized.number, "+14255550100");
    assert_eq!(decide(&m, user(&m, "branch"), "5550100").normalized.number, "+19725550100");
}

#[test]
fn a_site_scoped_object_nobody_gets_is_a_lint_naming_who_sits_there() {
    // Move the SBA's users to the HQ pool: site:Branch applies to nobody.
    let text = with_branch_users_on_hq()
        .replace("registrar_pool = \"sba.branch.example.com\"", "registrar_pool = \"fe.hq.example.com\"");
    let m = load_str(&text, "scope.toml").unwrap();
    let lints: Vec<_> = lint(&m).into_iter().filter(|l| l.code == "site-scope-unused").collect();
    let policy = lints.iter().find(|l| l.object == "voice_policy \"site:Branch\"").expect("the policy");
    assert!(
        policy.message.contains("branch (homed on fe.hq.example.com at HQ)")
            && policy.message.contains("branch-on-hq (homed on fe.hq.example.com at HQ)")
            && policy.message.contains("per-user voice_policy"),
        "{policy:?}"
    );
    // The plan still serves nobody: no trunk's peer is at Branch either.
    assert!(lints.iter().any(|l| l.object == "dial_plan \"site:Branch\""), "{lints:?}");
    // With the SBA's users, nothing to say.
    let m = load_str(&with_branch_users_on_hq(), "scope.toml").unwrap();
    assert!(lint(&m).iter().all(|l| l.code != "site-scope-unused"));
}
