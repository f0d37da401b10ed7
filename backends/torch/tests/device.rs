//! Devices: CPU always works; CUDA that is not there is an error, not a crash.

use kconform_api::Backend;
use kconform_torch::{cuda_device_count, TorchBackend, TorchDevice, TorchError};

#[test]
fn cpu_backend_reports_itself() {
    let b = TorchBackend::new(TorchDevice::Cpu).unwrap();
    let info = b.info();
    assert_eq!(info.id, "torch");
    assert_eq!(info.device, "cpu");
    assert!(
        info.versions["libtorch"].starts_with("2.11.0"),
        "{:?}",
        info.versions
    );
    assert!(!info.settings.contains_key("tf32"));
    let caps = b.capabilities();
    // At least the 40 foundation ops and the 10 seeded keras.random ops, on Keras-torch's CPU stream.
    assert!(caps.ops.len() >= 50);
    assert!(caps.ops.contains("random.normal") && caps.ops.contains("take_along_axis"));
    assert_eq!(caps.random_stream.as_deref(), Some("keras-torch-cpu"));
    assert!(caps.has(kconform_api::Feature::Symbolic));
    assert!(!caps.supports_dtype(kconform_api::DType::Uint64));
}

#[test]
fn missing_cuda_is_a_clear_error() {
    let available = cuda_device_count();
    let requested = available; // one past the last device there is
    match TorchBackend::new(TorchDevice::Cuda(requested)) {
        Err(TorchError::NoCuda {
            requested: r,
            available: a,
        }) => {
            assert_eq!((r, a), (requested, available));
            let text = TorchError::NoCuda {
                requested: r,
                available: a,
            }
            .to_string();
            assert!(
                text.contains(&format!("CUDA device {requested} requested")),
                "{text}"
            );
        }
        other => panic!("expected NoCuda, got {other:?}"),
    }
}

#[test]
fn cuda_backend_turns_tf32_off() {
    if cuda_device_count() == 0 {
        eprintln!("no CUDA device: skipped");
        return;
    }
    let b = TorchBackend::new(TorchDevice::Cuda(0)).unwrap();
    let info = b.info();
    assert_eq!(info.device, "cuda:0");
    assert_eq!(info.settings["tf32"], "off");
    let on = TorchBackend::with_tf32(TorchDevice::Cuda(0), true).unwrap();
    assert_eq!(on.info().settings["tf32"], "on");
    TorchBackend::new(TorchDevice::Cuda(0)).unwrap();
}

#[test]
fn device_names_parse() {
    assert_eq!("cpu".parse::<TorchDevice>().unwrap(), TorchDevice::Cpu);
    assert_eq!("cuda".parse::<TorchDevice>().unwrap(), TorchDevice::Cuda(0));
    assert_eq!(
        "cuda:3".parse::<TorchDevice>().unwrap(),
        TorchDevice::Cuda(3)
    );
    assert!(matches!(
        "gpu".parse::<TorchDevice>(),
        Err(TorchError::BadDevice(_))
    ));
    assert_eq!(TorchDevice::Cuda(1).to_string(), "cuda:1");
}
