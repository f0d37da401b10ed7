//! placeholder until kernels land
