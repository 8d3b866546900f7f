//! Typed indices into the [`Model`](super::Model)'s object tables.
//!
//! Names are resolved once, at load; everything after that (routing, the
//! simulator) carries these small `Copy` ids instead of strings.

macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            /// The index into the owning table.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// Id of the `i`-th object of its table.
            #[inline]
            pub fn from_index(i: usize) -> Self {
                Self(u32::try_from(i).expect("object tables hold fewer than 2^32 entries"))
            }
        }
    )*};
}

typed_id! {
    /// A network region (CAC), holding one central site.
    RegionId;
    /// A site: central or branch.
    SiteId;
    /// A WAN link between two sites.
    LinkId;
    /// A Front End / Standard Edition / SBA / SBS Registrar pool.
    RegistrarPoolId;
    /// A Mediation Server pool (stand-alone or collocated).
    MediationPoolId;
    /// A trunk peer: PSTN gateway, IP-PBX or ITSP session border controller.
    PeerId;
    /// An M:N trunk: (Mediation pool, port) to (peer, port).
    TrunkId;
    /// A trunk configuration (global, site or trunk scope).
    TrunkConfigId;
    /// A dial plan (global, site, pool, trunk or user scope).
    DialPlanId;
    /// A voice policy (global, site or user scope).
    VoicePolicyId;
    /// A location policy (global, site or user scope): E9-1-1 settings.
    LocationPolicyId;
    /// An entry of the global PSTN usage list.
    UsageId;
    /// A voice route.
    RouteId;
    /// A group of Enterprise Voice users with a Line URI range.
    UserGroupId;
}
