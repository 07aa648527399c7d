//! Runs independent pieces of a test side by side: the guide tests start a simulated visit per
//! fault and a `posdiag guide` per capture and symptom, hundreds of processes that mostly wait
//! on each other's sockets, so running them one at a time left the machine idle.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Threads for work that is mostly waiting on child processes.
pub const THREADS: usize = 4;

/// `f` over `items` on up to [`THREADS`] threads; the results in the items' order. A panic in
/// `f` fails the test as it would have run alone.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..THREADS.min(items.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                results.lock().expect("results")[i] = Some(r);
            });
        }
    });
    results
        .into_inner()
        .expect("results")
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}
