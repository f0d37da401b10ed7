//! Host tensor <-> tch tensor round trips for every dtype.

use half::{bf16, f16};
use kconform_api::{DType, Tensor, TensorData};
use kconform_torch::convert::{from_tch, from_tch_as, storage_kind, to_tch};
use kconform_torch::TorchError;
use tch::{Device, Kind};

fn samples(dtype: DType) -> TensorData {
    match dtype {
        DType::Bool => TensorData::Bool(vec![true, false, true, true, false, false]),
        DType::Int8 => TensorData::Int8(vec![i8::MIN, -1, 0, 1, 42, i8::MAX]),
        DType::Int16 => TensorData::Int16(vec![i16::MIN, -1, 0, 1, 300, i16::MAX]),
        DType::Int32 => TensorData::Int32(vec![i32::MIN, -1, 0, 1, 70_000, i32::MAX]),
        DType::Int64 => TensorData::Int64(vec![i64::MIN, -1, 0, 1, 1 << 40, i64::MAX]),
        DType::Uint8 => TensorData::Uint8(vec![0, 1, 2, 127, 128, u8::MAX]),
        DType::Uint16 => TensorData::Uint16(vec![0, 1, 2, 32_767, 32_768, u16::MAX]),
        DType::Uint32 => TensorData::Uint32(vec![0, 1, 2, 1 << 31, (1 << 31) + 1, u32::MAX]),
        DType::Uint64 => TensorData::Uint64(vec![0, 1, 2, 1 << 40, (1 << 62) + 3, i64::MAX as u64]),
        DType::Float16 => TensorData::Float16(
            [
                0.5,
                -0.0,
                f32::NAN,
                f32::INFINITY,
                f32::NEG_INFINITY,
                65504.0,
            ]
            .map(f16::from_f32)
            .to_vec(),
        ),
        DType::Bfloat16 => TensorData::Bfloat16(
            [0.5, -0.0, f32::NAN, f32::INFINITY, 1e-40, 3.0e38]
                .map(bf16::from_f32)
                .to_vec(),
        ),
        DType::Float32 => TensorData::Float32(vec![
            0.1,
            -0.0,
            f32::NAN,
            f32::INFINITY,
            f32::MIN_POSITIVE / 4.0,
            f32::MAX,
        ]),
        DType::Float64 => TensorData::Float64(vec![
            0.1,
            -0.0,
            f64::NAN,
            f64::NEG_INFINITY,
            5e-324,
            f64::MAX,
        ]),
    }
}

/// Bitwise equality (NaN == NaN, -0.0 != 0.0).
fn same_bits(a: &Tensor, b: &Tensor) -> bool {
    fn bits<T: std::fmt::Debug>(v: &[T]) -> String {
        format!("{v:?}")
    }
    let data = |t: &Tensor| match t.data() {
        TensorData::Float16(v) => bits(&v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()),
        TensorData::Bfloat16(v) => bits(&v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()),
        TensorData::Float32(v) => bits(&v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()),
        TensorData::Float64(v) => bits(&v.iter().map(|x| x.to_bits()).collect::<Vec<_>>()),
        other => format!("{other:?}"),
    };
    a.dtype() == b.dtype() && a.shape() == b.shape() && data(a) == data(b)
}

#[test]
fn every_dtype_round_trips_exactly() {
    for dtype in DType::ALL {
        for shape in [vec![6], vec![2, 3], vec![3, 1, 2]] {
            let host = Tensor::new(shape.clone(), samples(dtype)).unwrap();
            let t = to_tch(&host, Device::Cpu).unwrap();
            assert_eq!(t.f_kind().unwrap(), storage_kind(dtype), "{dtype}");
            assert_eq!(
                t.size(),
                shape.iter().map(|&d| d as i64).collect::<Vec<_>>()
            );
            let back = from_tch_as(&t, dtype).unwrap();
            assert!(
                same_bits(&host, &back),
                "{dtype} {shape:?}: {host:?} != {back:?}"
            );
        }
    }
}

#[test]
fn scalars_and_empty_tensors_round_trip() {
    for dtype in DType::ALL {
        let empty = Tensor::from_scalars(dtype, vec![0, 3], &[]).unwrap();
        let back = from_tch_as(&to_tch(&empty, Device::Cpu).unwrap(), dtype).unwrap();
        assert_eq!(back, empty, "{dtype}");
        let one = Tensor::new(
            vec![],
            match samples(dtype) {
                TensorData::Bool(v) => TensorData::Bool(v[..1].to_vec()),
                TensorData::Int8(v) => TensorData::Int8(v[..1].to_vec()),
                TensorData::Int16(v) => TensorData::Int16(v[..1].to_vec()),
                TensorData::Int32(v) => TensorData::Int32(v[..1].to_vec()),
                TensorData::Int64(v) => TensorData::Int64(v[..1].to_vec()),
                TensorData::Uint8(v) => TensorData::Uint8(v[..1].to_vec()),
                TensorData::Uint16(v) => TensorData::Uint16(v[..1].to_vec()),
                TensorData::Uint32(v) => TensorData::Uint32(v[..1].to_vec()),
                TensorData::Uint64(v) => TensorData::Uint64(v[..1].to_vec()),
                TensorData::Float16(v) => TensorData::Float16(v[..1].to_vec()),
                TensorData::Bfloat16(v) => TensorData::Bfloat16(v[..1].to_vec()),
                TensorData::Float32(v) => TensorData::Float32(v[..1].to_vec()),
                TensorData::Float64(v) => TensorData::Float64(v[..1].to_vec()),
            },
        )
        .unwrap();
        let t = to_tch(&one, Device::Cpu).unwrap();
        assert_eq!(t.dim(), 0);
        assert!(same_bits(&one, &from_tch_as(&t, dtype).unwrap()), "{dtype}");
    }
}

#[test]
fn wide_unsigned_types_are_held_in_signed_kinds() {
    // tch 0.24 has no uint16/32/64 kinds: they are held as Keras-torch holds them.
    let t = to_tch(
        &Tensor::new(vec![1], TensorData::Uint16(vec![65535])).unwrap(),
        Device::Cpu,
    )
    .unwrap();
    assert_eq!(t.f_kind().unwrap(), Kind::Int);
    assert_eq!(
        from_tch(&t).unwrap().data(),
        &TensorData::Int32(vec![65535])
    );
    let big = Tensor::new(vec![1], TensorData::Uint64(vec![u64::MAX])).unwrap();
    assert!(matches!(
        to_tch(&big, Device::Cpu),
        Err(TorchError::Unrepresentable {
            dtype: DType::Uint64,
            ..
        })
    ));
    // Narrowing back checks the range.
    let neg = tch::Tensor::from_slice(&[-1i32]);
    assert!(matches!(
        from_tch_as(&neg, DType::Uint16),
        Err(TorchError::Unrepresentable { .. })
    ));
    assert!(matches!(
        from_tch_as(&neg, DType::Float32),
        Err(TorchError::Conversion(_))
    ));
}

#[test]
fn non_contiguous_results_read_in_row_major_order() {
    let host = Tensor::new(vec![2, 3], TensorData::Int32(vec![0, 1, 2, 3, 4, 5])).unwrap();
    let t = to_tch(&host, Device::Cpu)
        .unwrap()
        .f_transpose(0, 1)
        .unwrap();
    assert_eq!(
        from_tch(&t).unwrap(),
        Tensor::new(vec![3, 2], TensorData::Int32(vec![0, 3, 1, 4, 2, 5])).unwrap()
    );
}

#[test]
fn complex_results_are_unsupported_not_a_panic() {
    let c = tch::Tensor::f_zeros([2], (Kind::ComplexFloat, Device::Cpu)).unwrap();
    assert!(matches!(
        from_tch(&c),
        Err(TorchError::UnsupportedKind(Kind::ComplexFloat))
    ));
}
