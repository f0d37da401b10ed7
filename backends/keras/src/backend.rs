//! [`KerasBackend`]: the [`Backend`] trait over one adapter process.

use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use kconform_api::{
    Backend, BackendError, BackendInfo, Capabilities, Feature, OpCall, TensorSpec, Value,
};

use crate::config::KerasConfig;
use crate::error::KerasError;
use crate::messages::{self, Handshake, Mode};
use crate::process::{AdapterProcess, LineError};
use crate::script::AdapterScript;

/// Real Keras, run out of process by the Python adapter.
///
/// Calls are serialized over one adapter process. The process starts on first
/// use (or at once with [`KerasBackend::launch`]); after a timeout, a crash or a
/// protocol violation it is killed, and the next call starts a fresh one. The
/// process is killed when the backend is dropped.
pub struct KerasBackend {
    state: Mutex<State>,
    config: KerasConfig,
    handshake: OnceLock<Handshake>,
}

#[derive(Default)]
struct State {
    process: Option<AdapterProcess>,
    next_id: u64,
    launches: u64,
    failed_launches: u32,
    last_launch_error: Option<BackendError>,
}

impl KerasBackend {
    /// A backend that starts its adapter on first use. Fails only on an invalid
    /// configuration.
    pub fn new(config: KerasConfig) -> Result<Self, KerasError> {
        config.validate()?;
        Ok(KerasBackend {
            state: Mutex::new(State::default()),
            config,
            handshake: OnceLock::new(),
        })
    }

    /// A backend whose adapter is started now, so that a missing interpreter,
    /// a missing Keras or a bad handshake is reported up front.
    pub fn launch(config: KerasConfig) -> Result<Self, KerasError> {
        let backend = KerasBackend::new(config)?;
        {
            let mut state = backend.lock();
            let process = backend.start()?;
            state.launches += 1;
            state.process = Some(process);
        }
        Ok(backend)
    }

    /// [`KerasConfig::from_env`] then [`KerasBackend::launch`].
    pub fn from_env(keras_backend: &str) -> Result<Self, KerasError> {
        KerasBackend::launch(KerasConfig::from_env(keras_backend)?)
    }

    /// The configuration this backend runs with.
    pub fn config(&self) -> &KerasConfig {
        &self.config
    }

    /// The first handshake received, starting the adapter if none has been.
    pub fn handshake(&self) -> Result<&Handshake, BackendError> {
        if let Some(h) = self.handshake.get() {
            return Ok(h);
        }
        self.ensure_process(&mut self.lock())?;
        self.handshake
            .get()
            .ok_or_else(|| BackendError::Internal("adapter started without a handshake".into()))
    }

    /// One `ping` round trip; returns how long it took.
    pub fn ping(&self) -> Result<Duration, BackendError> {
        let mut state = self.lock();
        let id = next_id(&mut state);
        let start = Instant::now();
        let line = self.exchange(&mut state, messages::ping_line(id), "ping")?;
        self.outcome(&mut state, &line, id)?;
        Ok(start.elapsed())
    }

    /// How many adapter processes have been started so far.
    pub fn launches(&self) -> u64 {
        self.lock().launches
    }

    /// The running adapter's process id, if one is running.
    pub fn adapter_pid(&self) -> Option<u32> {
        self.lock().process.as_ref().map(AdapterProcess::pid)
    }

    /// Stops the adapter now; the next call starts a fresh one.
    pub fn stop(&self) {
        self.lock().process = None;
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Spawns an adapter and reads its handshake. The embedded script is
    /// written to a temporary file for this launch and deleted once the
    /// handshake has arrived (Python has compiled it by then), so nothing is
    /// left behind even when the backend is never dropped.
    fn start(&self) -> Result<AdapterProcess, KerasError> {
        let script = AdapterScript::prepare(self.config.adapter_script.as_deref())?;
        let mut process = AdapterProcess::spawn(&self.config, script.path())?;
        let line = match process.read_line(self.config.startup_timeout) {
            Ok(line) => line,
            Err(LineError::Timeout(timeout)) => {
                process.kill();
                return Err(KerasError::StartupTimeout {
                    timeout,
                    stderr: process.stderr_tail(),
                });
            }
            Err(LineError::Closed(report)) => return Err(KerasError::Exited(report)),
            Err(LineError::Overlong(limit)) => {
                process.kill();
                return Err(KerasError::Handshake(format!("longer than {limit} bytes")));
            }
        };
        match messages::parse_handshake(&line, &self.config.keras_backend) {
            Ok(h) => {
                let _ = self.handshake.set(h);
                Ok(process)
            }
            Err(why) => {
                process.kill();
                Err(KerasError::Handshake(format!(
                    "{why}; stderr tail:\n{}",
                    process.stderr_tail()
                )))
            }
        }
    }

    /// The running adapter, started if needed (unless launches keep failing).
    fn ensure_process<'s>(
        &self,
        state: &'s mut State,
    ) -> Result<&'s mut AdapterProcess, BackendError> {
        if state.process.is_none() {
            if state.failed_launches >= self.config.max_launch_failures {
                if let Some(e) = &state.last_launch_error {
                    return Err(e.clone());
                }
            }
            match self.start() {
                Ok(p) => {
                    state.launches += 1;
                    state.failed_launches = 0;
                    state.last_launch_error = None;
                    state.process = Some(p);
                }
                Err(e) => {
                    let err = BackendError::from(e);
                    state.failed_launches += 1;
                    state.last_launch_error = Some(err.clone());
                    return Err(err);
                }
            }
        }
        state
            .process
            .as_mut()
            .ok_or_else(|| BackendError::Internal("no adapter process".into()))
    }

    /// Sends one request line and returns the response line. On a timeout,
    /// a closed pipe or an overlong line the process is dropped (killed).
    fn exchange(
        &self,
        state: &mut State,
        line: Vec<u8>,
        what: &str,
    ) -> Result<Vec<u8>, BackendError> {
        let process = self.ensure_process(state)?;
        process.send(line);
        let result = process.read_line(self.config.timeout);
        if result.is_err() {
            state.process = None;
        }
        result.map_err(|e| match e {
            LineError::Timeout(t) => BackendError::Timeout(t),
            LineError::Closed(report) => {
                BackendError::Crashed(format!("while running `{what}`: {report}"))
            }
            LineError::Overlong(limit) => {
                BackendError::Protocol(format!("response to `{what}` is longer than {limit} bytes"))
            }
        })
    }

    /// Parses a response; a protocol violation drops the process.
    fn outcome(&self, state: &mut State, line: &[u8], id: u64) -> Result<Value, BackendError> {
        match messages::parse_response(line, id) {
            Ok(outcome) => outcome,
            Err(why) => {
                let tail = state
                    .process
                    .as_ref()
                    .map(AdapterProcess::stderr_tail)
                    .unwrap_or_default();
                state.process = None;
                Err(BackendError::Protocol(format!(
                    "{why}; stderr tail:\n{tail}"
                )))
            }
        }
    }

    fn run(&self, mode: Mode, call: &OpCall) -> Result<Value, BackendError> {
        let mut state = self.lock();
        let id = next_id(&mut state);
        let line = self.exchange(&mut state, messages::call_line(id, mode, call), &call.op)?;
        self.outcome(&mut state, &line, id)
    }
}

fn next_id(state: &mut State) -> u64 {
    state.next_id += 1;
    state.next_id
}

/// Replaces concrete tensors in a symbolic result by their shape and dtype.
fn only_specs(v: Value) -> Value {
    match v {
        Value::Tensor(t) => Value::Spec(TensorSpec {
            shape: t.shape().iter().map(|&d| Some(d)).collect(),
            dtype: t.dtype(),
        }),
        Value::List(items) => Value::List(items.into_iter().map(only_specs).collect()),
        Value::Tuple(items) => Value::Tuple(items.into_iter().map(only_specs).collect()),
        Value::Dict(m) => Value::Dict(m.into_iter().map(|(k, v)| (k, only_specs(v))).collect()),
        other => other,
    }
}

impl Backend for KerasBackend {
    fn info(&self) -> BackendInfo {
        let mut info = BackendInfo::new(self.config.backend_id(), "cpu");
        info.versions.insert(
            "kconform-keras".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        );
        if let Ok(h) = self.handshake() {
            info.device = h.device.clone();
            info.versions.extend(h.versions.clone());
            info.settings = h.settings.clone();
        }
        info
    }

    fn capabilities(&self) -> Capabilities {
        self.handshake()
            .map(|h| h.capabilities.clone())
            .unwrap_or_default()
    }

    fn call(&self, call: &OpCall) -> Result<Value, BackendError> {
        self.run(Mode::Eager, call)
    }

    fn call_symbolic(&self, call: &OpCall) -> Result<Value, BackendError> {
        if !self.handshake()?.capabilities.has(Feature::Symbolic) {
            return Err(BackendError::Unsupported(format!(
                "symbolic calls (op `{}`): the adapter does not offer them",
                call.op
            )));
        }
        self.run(Mode::Symbolic, call).map(only_specs)
    }

    fn run_program(&self, program: &kconform_api::Program) -> Result<Value, BackendError> {
        if !self.handshake()?.capabilities.has(Feature::Programs) {
            return Err(BackendError::Unsupported(
                "programs: the adapter does not offer them".into(),
            ));
        }
        let op = program
            .steps()
            .next()
            .map_or("program", |s| s.call.op.as_str());
        let mut state = self.lock();
        let id = next_id(&mut state);
        let line = self.exchange(&mut state, messages::program_line(id, program), op)?;
        self.outcome(&mut state, &line, id)
    }
}

#[cfg(test)]
mod tests {
    use kconform_api::{DType, Tensor};

    use super::*;

    #[test]
    fn backend_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<KerasBackend>();
    }

    #[test]
    fn symbolic_results_hold_no_values() {
        let v = Value::Tuple(vec![Value::Tensor(Tensor::scalar_f32(1.0)), Value::Int(2)]);
        assert_eq!(
            only_specs(v),
            Value::Tuple(vec![
                Value::Spec(TensorSpec {
                    shape: vec![],
                    dtype: DType::Float32
                }),
                Value::Int(2)
            ])
        );
    }
}
