//! Voice quality: the G.107 E-model and the codec table it needs.

pub mod codecs;
pub mod emodel;
