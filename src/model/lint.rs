//! Lints: valid configurations an administrator would still want to fix.
