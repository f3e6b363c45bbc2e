//! The one thread that runs the engine.
//!
//! Analyses run here, one at a time, off the async workers. One thread rather
//! than a pool keeps memory bounded: the engine's regex caches and the
//! allocator's arenas are per thread, and a pool of analysing threads would
//! hold one set each (measured: ~12 MB a thread for a three-hour transcript).
//! On two cores, a second analysis in parallel would only slow the first.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::time::Duration;
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// How long the thread waits for more work before returning free memory.
pub const IDLE_BEFORE_TRIM: Duration = Duration::from_millis(200);

pub struct Analyst {
    /// `None` if the thread could not be started: jobs then go to tokio's
    /// blocking pool, which works, only with more memory.
    jobs: Option<Sender<Job>>,
}

impl Analyst {
    pub fn start() -> Analyst {
        let (jobs, queue) = channel::<Job>();
        let thread = std::thread::Builder::new()
            .name("coachlint-analysis".into())
            .spawn(move || {
                let mut trimmed = true;
                loop {
                    // Free memory goes back to the system once the editor
                    // pauses, not after every keystroke: trimming costs a
                    // millisecond and the next analysis faults the pages back in.
                    let job = if trimmed {
                        queue.recv().ok()
                    } else {
                        match queue.recv_timeout(IDLE_BEFORE_TRIM) {
                            Err(RecvTimeoutError::Timeout) => {
                                release_free_memory();
                                trimmed = true;
                                continue;
                            }
                            r => r.ok(),
                        }
                    };
                    let Some(job) = job else { break };
                    // A panic drops the job's reply channel (the caller sees
                    // `None`); the thread carries on with the next job.
                    let _ = catch_unwind(AssertUnwindSafe(job));
                    trimmed = false;
                }
            });
        Analyst {
            jobs: thread.is_ok().then_some(jobs),
        }
    }

    /// Drops `value` on the analysis thread: freeing an old analysis of a
    /// long transcript takes a while, and the new one's diagnostics should
    /// not wait for it.
    pub fn discard<T: Send + 'static>(&self, value: T) {
        if let Some(jobs) = &self.jobs {
            let _ = jobs.send(Box::new(move || drop(value)));
        }
    }

    /// Runs `f` on the analysis thread; `None` if it panicked.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        let Some(jobs) = &self.jobs else {
            return tokio::task::spawn_blocking(f).await.ok();
        };
        let (reply, answer) = oneshot::channel();
        jobs.send(Box::new(move || {
            let _ = reply.send(f());
        }))
        .ok()?;
        answer.await.ok()
    }
}

/// An analysis allocates and frees several megabytes, which the allocator
/// keeps for the next one; once the editor pauses, the pages no block uses
/// go back to the system. The binary's allocator is mimalloc (`src/lib.rs`);
/// under another one (this crate's tests) there is nothing to collect.
fn release_free_memory() {
    // SAFETY: `mi_collect` has no preconditions; it only frees what no block uses.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_in_order_and_survive_panics() {
        let a = Analyst::start();
        assert_eq!(a.run(|| 1 + 1).await, Some(2));
        assert_eq!(a.run(|| -> i32 { panic!("job bug") }).await, None);
        assert_eq!(a.run(|| "still here").await, Some("still here"));
    }
}
