//! placeholder until the adapter client lands
