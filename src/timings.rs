//! Stage timings: how long each stage of a build, `serve` update or the search bundle took,
//! printed to stderr when `OPSBOOK_TIMINGS` is set (read by `bench/`). Every stage uses it, so
//! it sits beside them rather than in any one of them.

/// Prints the time since the last lap (or since it was made) at each [`Timer::lap`].
pub(crate) struct Timer {
    enabled: bool,
    last: std::time::Instant,
}

impl Timer {
    pub(crate) fn new() -> Timer {
        Timer {
            enabled: std::env::var_os("OPSBOOK_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }

    pub(crate) fn lap(&mut self, stage: &str) {
        if self.enabled {
            eprintln!(
                "[timing] {stage:<10} {:>7.1} ms",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = std::time::Instant::now();
    }
}
