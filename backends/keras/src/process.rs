//! One adapter child process: start, exchange lines with deadlines, kill.
//!
//! Reading and writing happen on helper threads, so a hung adapter can never
//! block the caller past its deadline, not even while a large request is
//! still being written into a full pipe.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use wait_timeout::ChildExt;

use crate::config::KerasConfig;
use crate::error::KerasError;
use crate::stderr_tail::StderrTail;

/// How much of stderr goes into a crash report.
const REPORTED_STDERR_BYTES: usize = 4000;
/// How long a child that closed stdout gets to exit before it is killed.
const EXIT_GRACE: Duration = Duration::from_secs(2);

/// Why no line came back.
#[derive(Debug)]
pub(crate) enum LineError {
    /// Nothing arrived before the deadline.
    Timeout(Duration),
    /// The child closed stdout or died; the text says how and holds its stderr tail.
    Closed(String),
    /// A line longer than the configured limit.
    Overlong(usize),
}

enum ReadEvent {
    Line(Vec<u8>),
    Overlong(usize),
    End(String),
}

/// A running adapter with its pipes.
pub(crate) struct AdapterProcess {
    child: Child,
    requests: Option<Sender<Vec<u8>>>,
    lines: Receiver<ReadEvent>,
    stderr: StderrTail,
    exited: bool,
}

impl AdapterProcess {
    /// Starts `python -u <script> --backend <name>` with piped stdio.
    pub(crate) fn spawn(config: &KerasConfig, script: &Path) -> Result<Self, KerasError> {
        let mut cmd = Command::new(&config.python);
        cmd.arg("-u")
            .arg(script)
            .arg("--backend")
            .arg(&config.keras_backend)
            .env("KERAS_BACKEND", &config.keras_backend)
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONIOENCODING", "utf-8")
            .envs(config.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|source| KerasError::Spawn {
            python: config.python.clone(),
            script: script.to_path_buf(),
            source,
        })?;
        let (stdin, stdout, stderr) =
            match (child.stdin.take(), child.stdout.take(), child.stderr.take()) {
                (Some(i), Some(o), Some(e)) => (i, o, e),
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(KerasError::Exited(
                        "the child's pipes were not set up".to_string(),
                    ));
                }
            };
        let stderr = StderrTail::spawn(stderr, config.stderr_tail_bytes, config.forward_stderr);
        let requests = spawn_writer(stdin);
        let lines = spawn_reader(stdout, config.max_line_bytes);
        Ok(AdapterProcess {
            child,
            requests: Some(requests),
            lines,
            stderr,
            exited: false,
        })
    }

    /// The child's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Queues one line (newline included) for the child's stdin. Never blocks;
    /// a child that stopped reading shows up as a timeout or a closed stdout.
    pub(crate) fn send(&self, line: Vec<u8>) {
        if let Some(tx) = &self.requests {
            let _ = tx.send(line);
        }
    }

    /// The next stdout line, waiting at most `timeout`.
    pub(crate) fn read_line(&mut self, timeout: Duration) -> Result<Vec<u8>, LineError> {
        match self.lines.recv_timeout(timeout) {
            Ok(ReadEvent::Line(line)) => Ok(line),
            Ok(ReadEvent::Overlong(limit)) => Err(LineError::Overlong(limit)),
            Ok(ReadEvent::End(why)) => Err(LineError::Closed(self.death_report(&why))),
            Err(RecvTimeoutError::Disconnected) => Err(LineError::Closed(
                self.death_report("stdout reader stopped"),
            )),
            Err(RecvTimeoutError::Timeout) => Err(LineError::Timeout(timeout)),
        }
    }

    /// The end of the child's stderr, for reports.
    pub(crate) fn stderr_tail(&self) -> String {
        self.stderr.text(REPORTED_STDERR_BYTES)
    }

    /// Kills the child now and reaps it.
    pub(crate) fn kill(&mut self) {
        self.requests = None;
        if !self.exited {
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.exited = true;
        }
    }

    /// After stdout closed: how the child ended, with its stderr tail.
    fn death_report(&mut self, why: &str) -> String {
        self.requests = None;
        let status = match self.child.wait_timeout(EXIT_GRACE) {
            Ok(Some(status)) => status.to_string(),
            Ok(None) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                "closed stdout but kept running; killed".to_string()
            }
            Err(e) => format!("unknown status ({e})"),
        };
        self.exited = true;
        self.stderr.wait_closed(Duration::from_millis(500));
        format!(
            "adapter process {} ended ({why}; {status}); stderr tail:\n{}",
            self.child.id(),
            self.stderr_tail()
        )
    }
}

impl Drop for AdapterProcess {
    /// Closes stdin (the adapter exits at EOF), gives it a moment, then kills it.
    fn drop(&mut self) {
        self.requests = None;
        if !self.exited {
            if !matches!(
                self.child.wait_timeout(Duration::from_millis(300)),
                Ok(Some(_))
            ) {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
            self.exited = true;
        }
    }
}

fn spawn_writer(mut stdin: ChildStdin) -> Sender<Vec<u8>> {
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let _ = std::thread::Builder::new()
        .name("kconform-keras-stdin".into())
        .spawn(move || {
            for line in rx {
                if stdin.write_all(&line).and_then(|()| stdin.flush()).is_err() {
                    break;
                }
            }
        });
    tx
}

fn spawn_reader(stdout: impl Read + Send + 'static, max_line: usize) -> Receiver<ReadEvent> {
    let (tx, rx) = mpsc::channel();
    let _ = std::thread::Builder::new()
        .name("kconform-keras-stdout".into())
        .spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 16, stdout);
            loop {
                let event = match read_bounded_line(&mut reader, max_line) {
                    Ok(Some(line)) => ReadEvent::Line(line),
                    Ok(None) => ReadEvent::End("stdout closed".to_string()),
                    Err(BoundedLineError::Overlong) => ReadEvent::Overlong(max_line),
                    Err(BoundedLineError::Io(e)) => {
                        ReadEvent::End(format!("reading stdout failed: {e}"))
                    }
                };
                let last = matches!(event, ReadEvent::End(_));
                if tx.send(event).is_err() || last {
                    break;
                }
            }
        });
    rx
}

enum BoundedLineError {
    Overlong,
    Io(std::io::Error),
}

/// Reads one line without its newline; `None` at end of stream. A line longer
/// than `max` is skipped through its newline and reported as overlong.
fn read_bounded_line(
    r: &mut impl BufRead,
    max: usize,
) -> Result<Option<Vec<u8>>, BoundedLineError> {
    let mut line = Vec::new();
    let mut overlong = false;
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(BoundedLineError::Io(e)),
        };
        if buf.is_empty() {
            // EOF: a partial last line is not a line.
            return Ok(None);
        }
        let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !overlong && line.len() + chunk.len() <= max {
            line.extend_from_slice(chunk);
        } else {
            overlong = true;
            line = Vec::new();
        }
        let used = found.unwrap_or(buf.len());
        r.consume(used);
        if found.is_some() {
            if overlong {
                return Err(BoundedLineError::Overlong);
            }
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(Some(line));
        }
    }
}

/// The start of some bytes as printable text, for error messages.
pub(crate) fn preview(bytes: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(MAX)]);
    let more = if bytes.len() > MAX { "…" } else { "" };
    format!("{text:?}{more}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<Result<Vec<u8>, &'static str>> {
        let mut r = BufReader::with_capacity(4, input);
        let mut out = Vec::new();
        loop {
            match read_bounded_line(&mut r, max) {
                Ok(Some(l)) => out.push(Ok(l)),
                Ok(None) => return out,
                Err(BoundedLineError::Overlong) => out.push(Err("overlong")),
                Err(BoundedLineError::Io(_)) => out.push(Err("io")),
            }
        }
    }

    #[test]
    fn bounded_lines() {
        let got = lines(b"ab\r\n0123456789\nxyz\npartial", 5);
        assert_eq!(
            got,
            vec![Ok(b"ab".to_vec()), Err("overlong"), Ok(b"xyz".to_vec())]
        );
    }

    #[test]
    fn preview_is_short_and_quoted() {
        assert_eq!(preview(b"hi"), "\"hi\"");
        assert!(preview(&[b'x'; 1000]).ends_with('…'));
    }
}
