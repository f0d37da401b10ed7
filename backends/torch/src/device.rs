//! Which device the backend computes on, and checking that it exists.

use std::fmt;
use std::str::FromStr;

use crate::error::TorchError;

/// A torch device: the CPU or one CUDA GPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TorchDevice {
    /// The CPU.
    Cpu,
    /// CUDA device `n`.
    Cuda(usize),
}

impl TorchDevice {
    /// The tch device.
    pub fn tch(self) -> tch::Device {
        match self {
            TorchDevice::Cpu => tch::Device::Cpu,
            TorchDevice::Cuda(n) => tch::Device::Cuda(n),
        }
    }

    /// Fails with [`TorchError::NoCuda`] when this is a CUDA device libtorch cannot see.
    pub fn check_available(self) -> Result<(), TorchError> {
        match self {
            TorchDevice::Cpu => Ok(()),
            TorchDevice::Cuda(requested) => {
                let available = cuda_device_count();
                if requested < available {
                    Ok(())
                } else {
                    Err(TorchError::NoCuda {
                        requested,
                        available,
                    })
                }
            }
        }
    }
}

/// How many CUDA devices libtorch sees (0 without a GPU, a driver, or a CUDA libtorch).
pub fn cuda_device_count() -> usize {
    if tch::Cuda::is_available() {
        usize::try_from(tch::Cuda::device_count()).unwrap_or(0)
    } else {
        0
    }
}

impl fmt::Display for TorchDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TorchDevice::Cpu => f.write_str("cpu"),
            TorchDevice::Cuda(n) => write!(f, "cuda:{n}"),
        }
    }
}

impl FromStr for TorchDevice {
    type Err = TorchError;

    /// Parses `cpu`, `cuda` (device 0) or `cuda:N`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cpu" => Ok(TorchDevice::Cpu),
            "cuda" => Ok(TorchDevice::Cuda(0)),
            _ => s
                .strip_prefix("cuda:")
                .and_then(|n| n.parse().ok())
                .map(TorchDevice::Cuda)
                .ok_or_else(|| TorchError::BadDevice(s.to_string())),
        }
    }
}
