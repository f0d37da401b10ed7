//! Kernels: FFTs and short-time Fourier transforms.

mod fft;
mod signal;
mod stft;
mod window;

use crate::dispatch::Kernel;

/// This group's kernels, sorted by op name.
pub const OPS: &[(&str, Kernel)] = &[
    ("fft", fft::fft),
    ("fft2", fft::fft2),
    ("ifft2", fft::ifft2),
    ("irfft", fft::irfft),
    ("istft", stft::istft),
    ("rfft", fft::rfft),
    ("stft", stft::stft),
];
