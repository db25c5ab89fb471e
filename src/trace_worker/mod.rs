//! The Trace Lab's Web Worker (wasm32 only; Trunk builds `src/bin/trace_worker.rs` into its own
//! wasm, loaded only when the Trace Lab is opened). It reads the trace the page sends as a stream
//! and runs the engine's [`TraceLab`] on it, off the page's thread: a reply per tenth of a second
//! of progress, then the curves. The page stops a run by terminating the worker, so a run never
//! has to look for a cancel message.
//!
//! The file is read with `FileReaderSync`, 4 MiB at a time, as the trace readers' `Read` input:
//! the engine's readers are synchronous, and in a worker a synchronous read of a slice of the file
//! is a stream that never holds the whole file (`File.stream()` would need the readers turned
//! inside out for its promises, for nothing gained here).

pub mod protocol;

use std::cell::Cell;
use std::io::Read;
use std::rc::Rc;

use protocol::{Format, Reply, Run, SampleSummary, Source, Summary};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::engine::lab::{TraceLab, TraceLabSettings};
use crate::engine::mrc::rate_of;
use crate::engine::{Fields, RequestSink, Requests, stream_trace};

/// Bytes of the file read at once.
const SLICE: u64 = 4 << 20;

/// Bytes of the file's start its format is detected from.
const HEAD: u64 = 4096;

/// Milliseconds between progress replies.
const PROGRESS_EVERY: f64 = 100.0;

/// Listens for runs (each message is `{run, file}`), and says it is ready.
pub fn start() {
    let Ok(scope) = js_sys::global().dyn_into::<web_sys::DedicatedWorkerGlobalScope>() else {
        return;
    };
    let reply_scope = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let reply = |reply: &Reply| post(&reply_scope, reply);
            match run_message(&event.data(), &reply) {
                Ok(done) => reply(&done),
                Err(message) => reply(&Reply::Failed { message }),
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page keeps it; so does its handler.
    on_message.forget();
    post(&scope, &Reply::Ready);
}

fn post(scope: &web_sys::DedicatedWorkerGlobalScope, reply: &Reply) {
    // `None` as `null`, as JSON has it (and `cachesim mrc --json`).
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    if let Ok(value) = serde::Serialize::serialize(reply, &serializer) {
        let _ = scope.post_message(&value);
    }
}

/// Runs the message `data`: `{run: Run, file: Blob}` (no file for a generated workload).
fn run_message(data: &wasm_bindgen::JsValue, reply: &dyn Fn(&Reply)) -> Result<Reply, String> {
    let field = |name: &str| js_sys::Reflect::get(data, &name.into()).ok();
    let run: Run = field("run")
        .and_then(|value| serde_wasm_bindgen::from_value(value).ok())
        .ok_or("the page sent the worker a run it cannot read (a bug in the page)")?;
    let policies = run.policy_kinds()?;
    let generated = run.source.workload();
    let settings = TraceLabSettings {
        policies,
        sampling: run.sample.sampling(),
        in_bytes: run.in_bytes && generated.is_none(),
        // As cachesim seeds the random policies: a workload's seed, or 1 for a trace.
        seed: generated.map_or(1, |(_, _, seed)| seed),
    };
    let read = Rc::new(Cell::new(0u64));
    let mut sink = Progressing {
        lab: TraceLab::new(settings),
        read: Rc::clone(&read),
        generated: generated.is_some(),
        total: 0,
        last: js_sys::Date::now(),
        reply,
    };
    let found = match (&run.source, generated) {
        (_, Some((workload, requests, seed))) => {
            sink.total = requests;
            workload
                .stream(requests, seed, &mut sink)
                .map_err(|error| error.to_string())?
        }
        (Source::File { name, format }, None) => {
            let file: web_sys::Blob = field("file")
                .and_then(|value| value.dyn_into().ok())
                .ok_or("the page sent the worker no file (a bug in the page)")?;
            sink.total = file.size() as u64;
            let input = BlobReader::new(file, Rc::clone(&read))?;
            // Only a format left to detection needs the file's first bytes.
            let format = match format {
                Format::Auto { .. } => format
                    .resolve(name, &input.head()?)
                    .map_err(|not_a_trace| format!("{name} {not_a_trace}"))?,
                known => known.clone(),
            };
            reply(&Reply::Format {
                format: format.clone(),
            });
            let fields = Fields {
                sizes: run.in_bytes,
                ..Fields::default()
            };
            stream_trace(name, input, &format.trace_format(), fields, &mut sink)
                .map_err(|error| error.to_string())?
        }
        // `Source::workload` gives every workload source its workload; were it not to, this is
        // a sentence, not a panic that would end the worker.
        (Source::Workload { .. }, None) => {
            return Err("the page sent a workload the worker cannot make (a bug)".to_owned());
        }
    };
    let summary = Summary {
        requests: found.requests,
        unique_keys: found.unique_keys as u64,
        working_set: found.working_set,
        zero_sized: found.zero_sized,
    };
    reply(&Reply::Progress {
        bytes: read.get(),
        total: sink.total,
        requests: found.requests,
    });
    reply(&Reply::Read { summary });
    let result = sink.lab.finish(found)?;
    Ok(Reply::Done {
        summary,
        sample: result.sample.map(|sample| SampleSummary {
            rate: rate_of(sample.threshold),
            threshold: sample.threshold,
            keys: sample.keys,
            requests: sample.requests,
        }),
        curves: result.curves,
        popularity: result.popularity,
        reuse: result.reuse,
    })
}

/// The lab, telling the page how far the read is every [`PROGRESS_EVERY`] milliseconds.
struct Progressing<'a> {
    lab: TraceLab,
    /// Bytes of the file read; for a generated workload, requests made (kept here as they come).
    read: Rc<Cell<u64>>,
    generated: bool,
    total: u64,
    last: f64,
    reply: &'a dyn Fn(&Reply),
}

impl RequestSink for Progressing<'_> {
    fn take(&mut self, batch: &Requests) {
        self.lab.take(batch);
        if self.generated {
            self.read.set(self.lab.requests());
        }
        let now = js_sys::Date::now();
        if now - self.last >= PROGRESS_EVERY {
            self.last = now;
            (self.reply)(&Reply::Progress {
                bytes: self.read.get(),
                total: self.total,
                requests: self.lab.requests(),
            });
        }
    }
}

/// A `Blob` read in [`SLICE`]-byte slices with `FileReaderSync`.
struct BlobReader {
    blob: web_sys::Blob,
    reader: web_sys::FileReaderSync,
    /// The slice read last, and how much of it is handed on.
    slice: Vec<u8>,
    handed: usize,
    /// Bytes of the blob read (shared with the progress replies).
    read: Rc<Cell<u64>>,
}

impl BlobReader {
    fn new(blob: web_sys::Blob, read: Rc<Cell<u64>>) -> Result<Self, String> {
        let reader = web_sys::FileReaderSync::new()
            .map_err(|_| "this browser cannot read files in a worker (no FileReaderSync)")?;
        Ok(Self {
            blob,
            reader,
            slice: Vec::new(),
            handed: 0,
            read,
        })
    }

    /// The file's first bytes (at most [`HEAD`]), read without moving on.
    fn head(&self) -> Result<Vec<u8>, String> {
        let end = HEAD.min(self.blob.size() as u64);
        self.blob
            .slice_with_f64_and_f64(0.0, end as f64)
            .and_then(|piece| self.reader.read_as_array_buffer(&piece))
            .map(|piece| js_sys::Uint8Array::new(&piece).to_vec())
            .map_err(|_| "the file could not be read at byte 0".to_owned())
    }
}

impl Read for BlobReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.handed == self.slice.len() {
            let start = self.read.get();
            let end = (start + SLICE).min(self.blob.size() as u64);
            if start >= end {
                return Ok(0);
            }
            let piece = self
                .blob
                .slice_with_f64_and_f64(start as f64, end as f64)
                .and_then(|piece| self.reader.read_as_array_buffer(&piece))
                .map_err(|_| {
                    std::io::Error::other(format!("the file could not be read at byte {start}"))
                })?;
            self.slice = js_sys::Uint8Array::new(&piece).to_vec();
            self.handed = 0;
            self.read.set(start + self.slice.len() as u64);
        }
        let count = out.len().min(self.slice.len() - self.handed);
        out[..count].copy_from_slice(&self.slice[self.handed..self.handed + count]);
        self.handed += count;
        Ok(count)
    }
}
