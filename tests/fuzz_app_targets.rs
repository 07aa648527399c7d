//! The whole-program fuzz targets (fuzz/fuzz_targets/app_bodies.rs: capture_reader,
//! profile_loader, privacy_oracle) on every `cargo test`: each over its committed seeds
//! (fuzz/seeds/NAME) and a fixed number of mutations of them (bytes flipped, inserted,
//! deleted, repeated; seeds cut and spliced), from a fixed PRNG seed so a failure reproduces.
//! Without coverage guidance: that is `bash scripts/fuzz.sh`, which builds the whole program
//! instrumented (minutes; CI fuzzes the codec targets that way, scripts/fuzz_ci.sh).
//! A failing input is written to target/fuzz-app-failures/ and named in the panic.

use crate::support::leak_oracle;

#[path = "../fuzz/fuzz_targets/app_bodies.rs"]
mod app_bodies;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// Mutated inputs per target, on top of the seeds.
const MUTATIONS: usize = 1_500;

/// xorshift64*: small, fixed, and enough to pick bytes and places.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    let seeds: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).expect("seed"))
        .collect();
    assert!(!seeds.is_empty(), "no seeds in {}", dir.display());
    seeds
}

/// One mutation of `input`; `other` is another seed to splice from.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.insert(at, rng.next() as u8),
            2 if at < out.len() => {
                let end = (at + 1 + rng.below(16)).min(out.len());
                out.drain(at..end);
            }
            3 if at < out.len() => {
                let end = (at + 1 + rng.below(32)).min(out.len());
                let chunk = out[at..end].to_vec();
                out.splice(at..at, chunk);
            }
            4 => out.truncate(at),
            _ => {
                let from = rng.below(other.len() + 1);
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
        }
    }
    out
}

/// Runs `body` over the seeds and [`MUTATIONS`] mutations; a panic or an Err fails the test
/// with the input saved.
fn fuzz(target: &str, body: impl Fn(&[u8]) -> Result<(), String>) {
    let seeds = seeds(target);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ target.len() as u64);
    let inputs = seeds.iter().cloned().chain((0..MUTATIONS).map(|_| {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        mutate(&mut rng, a, b)
    }));
    for (i, input) in inputs.enumerate() {
        let outcome = catch_unwind(AssertUnwindSafe(|| body(&input)));
        let why = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(leak)) => leak,
            Err(_) => "panicked".to_owned(),
        };
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-app-failures");
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join(format!("{target}-{i}"));
        let _ = std::fs::write(&file, &input);
        panic!(
            "{target}, input {i}: {why}; the input is {} (reproduce with cargo fuzz run {target} FILE)",
            file.display()
        );
    }
}

#[test]
fn capture_reader_seeds_and_mutations() {
    fuzz("capture_reader", |d| {
        app_bodies::capture_reader(d);
        Ok(())
    });
}

#[test]
fn profile_loader_seeds_and_mutations() {
    fuzz("profile_loader", |d| {
        app_bodies::profile_loader(d);
        Ok(())
    });
}

#[test]
fn privacy_oracle_seeds_and_mutations() {
    fuzz("privacy_oracle", app_bodies::privacy_oracle);
}

/// The mutator is not idle: it makes inputs the seeds are not.
#[test]
fn mutations_differ_from_their_seeds() {
    let seeds = seeds("profile_loader");
    let mut rng = Rng(7);
    let changed = (0..100)
        .filter(|_| {
            let a = &seeds[rng.below(seeds.len())];
            mutate(&mut rng, a, a) != *a
        })
        .count();
    assert!(
        changed > 80,
        "only {changed} of 100 mutations changed their seed"
    );
}
