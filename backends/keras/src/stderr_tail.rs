//! A bounded ring buffer that keeps the end of the adapter's stderr.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The last bytes a child wrote to stderr, filled by a background thread.
pub(crate) struct StderrTail {
    buf: Arc<Mutex<VecDeque<u8>>>,
    capacity: usize,
    done: Mutex<Option<Receiver<()>>>,
}

impl StderrTail {
    /// Starts a thread draining `source` into a buffer of `capacity` bytes,
    /// copying to this process's stderr too when `forward` is set.
    pub(crate) fn spawn(
        mut source: impl Read + Send + 'static,
        capacity: usize,
        forward: bool,
    ) -> Self {
        let buf = Arc::new(Mutex::new(VecDeque::with_capacity(capacity.min(1 << 16))));
        let (done_tx, done_rx) = mpsc::channel();
        let sink = Arc::clone(&buf);
        let spawned = std::thread::Builder::new()
            .name("kconform-keras-stderr".into())
            .spawn(move || {
                let mut chunk = [0u8; 4096];
                loop {
                    match source.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            if forward {
                                let _ = std::io::stderr().write_all(&chunk[..n]);
                            }
                            let mut b = sink.lock().unwrap_or_else(|e| e.into_inner());
                            b.extend(&chunk[..n]);
                            let excess = b.len().saturating_sub(capacity);
                            b.drain(..excess);
                        }
                    }
                }
                let _ = done_tx.send(());
            });
        StderrTail {
            buf,
            capacity,
            done: Mutex::new(spawned.ok().map(|_| done_rx)),
        }
    }

    /// Waits up to `limit` for the writer to close stderr (so a crash report
    /// holds its last words).
    pub(crate) fn wait_closed(&self, limit: Duration) {
        let done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(rx) = done.as_ref() {
            let _ = rx.recv_timeout(limit);
        }
    }

    /// The kept bytes as text, at most the last `max_bytes` of them.
    pub(crate) fn text(&self, max_bytes: usize) -> String {
        let b = self.buf.lock().unwrap_or_else(|e| e.into_inner());
        let skip = b.len().saturating_sub(max_bytes.min(self.capacity));
        let bytes: Vec<u8> = b.iter().skip(skip).copied().collect();
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim_end();
        if text.is_empty() {
            "(stderr was empty)".to_string()
        } else {
            text.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_tail() {
        let data: Vec<u8> = (0..10_000u32)
            .flat_map(|i| format!("{i}\n").into_bytes())
            .collect();
        let tail = StderrTail::spawn(std::io::Cursor::new(data), 100, false);
        tail.wait_closed(Duration::from_secs(5));
        let text = tail.text(1000);
        assert!(text.len() <= 100);
        assert!(text.ends_with("9999"), "{text}");
        assert!(tail.text(5).ends_with("9999"));
    }

    #[test]
    fn says_when_empty() {
        let tail = StderrTail::spawn(std::io::empty(), 100, false);
        tail.wait_closed(Duration::from_secs(5));
        assert_eq!(tail.text(100), "(stderr was empty)");
    }
}
