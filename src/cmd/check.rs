//! `coachlint check`: find the transcripts, work out each one's configuration,
//! analyse them in parallel and write the results in the order of the paths.
//!
//! Exit codes: 0 when nothing at warning or above, 1 when there are findings at
//! warning or above, 2 on usage, I/O, configuration or input errors (which win
//! over 1). A file that fails is reported on stderr and the rest still run.

use super::options::ConfigArgs;
use crate::output::{self, Checked, OutputFormat, Palette, Sink};
use coachlint_core::analysis::CoachSource;
use coachlint_core::input;
use coachlint_core::{Config, ConfigError, Settings};
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex};

#[derive(clap::Args, Debug, Default)]
pub struct Args {
    /// Transcript files or directories (searched for *.transcript, *.vtt, *.srt
    /// and *.txt); `-` reads standard input. Default: the current directory.
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub configuration: ConfigArgs,

    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub output_format: OutputFormat,

    /// Print how often each rule fired instead of the findings (JSON with
    /// --output-format json).
    #[arg(long)]
    pub statistics: bool,

    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// Only on a terminal (and not when NO_COLOR is set).
    #[default]
    Auto,
    Always,
    Never,
}

/// The name shown for standard input when `--stdin-filename` is not given.
pub const STDIN_NAME: &str = "<stdin>";

/// Files analysed ahead of the one written next, per thread: enough to keep
/// every core busy while a long file holds up the order, few enough that a
/// large folder's output never sits in memory at once (its buffers are freed
/// and reused as it goes, rather than a whole batch's built and returned).
const AHEAD_PER_THREAD: usize = 8;

pub fn run(args: Args) -> ExitCode {
    match args.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    let stdout = io::stdout();
    let color = args.output_format == OutputFormat::Human
        && anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
    // Written by the thread that finishes the file due next: not a lock
    // held by this one. A file's output is some 20 KB: a buffer of a few
    // files' takes a third of the calls 8 KB took.
    let mut out = io::BufWriter::with_capacity(64 << 10, stdout);
    // Error messages go through anstream, which drops the colour off a terminal.
    let mut err = anstream::stderr();
    let err_color = anstream::AutoStream::choice(&io::stderr()) != anstream::ColorChoice::Never;
    let code = check(&args, color, &mut out, &mut err, err_color);
    // A reader that went away (`| head`) is not an error worth a message.
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            let _ = writeln!(err, "error: cannot write the output: {e}");
            ExitCode::from(2)
        }
        _ => ExitCode::from(code),
    }
}

/// Where an input comes from.
enum Source {
    Stdin,
    File(PathBuf),
}

/// One input to analyse, with its configuration resolved.
struct Job {
    source: Source,
    display: String,
    /// For SARIF output only.
    uri: String,
    /// A `.txt` found while searching a directory: it may be any text file, so
    /// one that is not a transcript is skipped with a note rather than failed.
    optional: bool,
    config: Arc<Config>,
}

enum Outcome {
    /// The file's output, and notes for stderr.
    Done(output::FileOutput, Vec<String>),
    Failed(String),
    Skipped(String),
}

/// Checks `args.paths`, writing the output to `out` and errors to `err`;
/// returns the exit code. The benchmark calls this too.
pub fn check(
    args: &Args,
    color: bool,
    out: &mut (dyn Write + Send),
    err: &mut (dyn Write + Send),
    err_color: bool,
) -> u8 {
    let palette = Palette::new(color);
    let err_palette = Palette::new(err_color);
    let report = |err: &mut dyn Write, msg: &str| {
        let _ = writeln!(
            err,
            "{}error{}: {msg}",
            err_palette.error.render(),
            err_palette.error.render_reset()
        );
    };

    let mut configs = match Configs::new(args) {
        Ok(c) => c,
        Err(e) => {
            report(err, &e.to_string());
            return 2;
        }
    };

    let default_paths = [PathBuf::from(".")];
    let paths: &[PathBuf] = if args.paths.is_empty() {
        &default_paths
    } else {
        &args.paths
    };

    // Find the files on another thread while the first input's configuration
    // (and with it the rules) compiles on this one: listing the bench folder's
    // 2,338 files took 3 ms of a 20 ms start-up. Then, in order, each file's
    // configuration (each config file is read and compiled once), which keeps
    // each configuration error to one message.
    let discover = |p: &PathBuf| -> Vec<Result<(Source, PathBuf, bool), String>> {
        if p.as_os_str() == "-" {
            return vec![Ok((Source::Stdin, stdin_dir(args), false))];
        }
        let dir = p.is_dir();
        input::collect_files(std::slice::from_ref(p))
            .into_iter()
            .map(|r| {
                r.map(|f| {
                    let optional =
                        dir && f.extension().is_some_and(|x| x.eq_ignore_ascii_case("txt"));
                    // Never a directory: its configuration is searched from its parent.
                    let dir = coachlint_core::config::parent_dir(&f).to_owned();
                    (Source::File(f), dir, optional)
                })
                .map_err(|e| e.to_string())
            })
            .collect()
    };
    let discovered: Vec<_> = std::thread::scope(|s| {
        let files = s.spawn(|| paths.iter().map(discover).collect::<Vec<_>>());
        let first = paths.first().and_then(|p| {
            if p.as_os_str() == "-" {
                Some(stdin_dir(args))
            } else if p.is_dir() {
                Some(p.clone())
            } else {
                p.exists()
                    .then(|| coachlint_core::config::parent_dir(p).to_owned())
            }
        });
        if let Some(dir) = first {
            // Its outcome, error or not, is kept and met again below.
            let _ = configs.for_input(&dir);
        }
        files.join()
    })
    .unwrap_or_else(|e| std::panic::resume_unwind(e));

    let mut failed = 0;
    let mut jobs = Vec::new();
    let mut reported_configs: Vec<String> = Vec::new();
    // Only SARIF names files by URI (which asks for the current directory).
    let sarif = args.output_format == OutputFormat::Sarif;
    let uri = |p: &Path| {
        if sarif {
            output::sarif::uri(p)
        } else {
            String::new()
        }
    };
    for found in discovered.into_iter().flatten() {
        let (source, dir, optional) = match found {
            Ok(f) => f,
            Err(e) => {
                report(err, &e);
                failed += 1;
                continue;
            }
        };
        let (display, uri) = match &source {
            Source::Stdin => match &args.configuration.stdin_filename {
                Some(n) => (n.display().to_string(), uri(n)),
                None => (STDIN_NAME.to_owned(), "stdin".to_owned()),
            },
            Source::File(f) => (f.display().to_string(), uri(f)),
        };
        match configs.for_input(&dir) {
            Ok(config) => jobs.push(Job {
                source,
                display,
                uri,
                optional,
                config,
            }),
            Err(Failure::Flags(e)) => {
                report(err, &e);
                return 2;
            }
            Err(Failure::File(e)) => {
                if !reported_configs.contains(&e) {
                    report(err, &e);
                    reported_configs.push(e);
                }
                failed += 1;
            }
        }
    }

    let renderer = palette.renderer();
    let mut sink = Sink::new(args.output_format, args.statistics, palette, out);
    sink.failed = failed;
    let written = sink.begin().and_then(|()| {
        // The pool's threads analyse, and whichever finishes the file due
        // next writes it and those after it that are done: a thread of its
        // own that only wrote was woken for every file, and took a core from
        // the analysis each time (three context switches a file).
        let order = InOrder::new(
            jobs.len(),
            AHEAD_PER_THREAD * rayon::current_num_threads().max(1),
            Writer {
                sink,
                err: &mut *err,
                error: None,
            },
        );
        order.run(
            |i| {
                let job = &jobs[i];
                // A bug in one file's analysis fails that file, not the run
                // (and never leaves the others unwritten).
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    process(job, args, &palette, &renderer)
                }))
                .unwrap_or_else(|_| {
                    Outcome::Failed(format!(
                        "{}: internal error (please report it)",
                        job.display
                    ))
                })
            },
            |w, o| w.write(o, &report),
        );
        let Writer {
            mut sink, error, ..
        } = order.into_writer();
        match error {
            Some(e) => Err(e),
            None => sink.end().map(|()| sink),
        }
    });
    let sink = match written {
        Ok(sink) => sink,
        Err(e) => {
            if e.kind() != io::ErrorKind::BrokenPipe {
                report(err, &format!("cannot write the output: {e}"));
            }
            return 2;
        }
    };
    if sink.failed > 0 {
        2
    } else if sink.has_warnings {
        1
    } else {
        0
    }
}

/// Where each file's outcome goes: its notes and errors to `err`, its
/// output to `sink`; the first error writing it.
struct Writer<'w, 'e> {
    sink: Sink<'w>,
    err: &'e mut (dyn Write + Send),
    error: Option<io::Error>,
}

impl Writer<'_, '_> {
    /// Whether writing may go on.
    fn write(&mut self, o: Outcome, report: &impl Fn(&mut dyn Write, &str)) -> bool {
        match o {
            Outcome::Done(f, notes) => {
                for n in notes {
                    let _ = writeln!(self.err, "note: {n}");
                }
                if let Err(e) = self.sink.file(f) {
                    self.error = Some(e);
                    return false;
                }
            }
            Outcome::Failed(msg) => {
                report(self.err, &msg);
                self.sink.failed += 1;
            }
            Outcome::Skipped(msg) => {
                let _ = writeln!(self.err, "note: {msg}");
            }
        }
        true
    }
}

/// Jobs handed to the threads in order, and their outcomes written in order
/// by whichever thread finishes the one due next. A thread takes a job at
/// most `ahead` past the next to write, so a slow file holds up only that
/// many outputs in memory.
struct InOrder<W> {
    order: Mutex<Order>,
    /// Signalled when the next to write moves on, or writing failed.
    room: Condvar,
    /// Only locked by the one thread writing at a time.
    writer: Mutex<W>,
    jobs: usize,
    ahead: usize,
}

struct Order {
    /// The next job to hand out, and the next outcome to write.
    taken: usize,
    next: usize,
    waiting: BTreeMap<usize, Outcome>,
    /// A thread is writing (others leave their outcome to it).
    writing: bool,
    failed: bool,
}

/// A lock never poisoned in use: a panic in an analysis is caught outside it.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<W> InOrder<W> {
    fn new(jobs: usize, ahead: usize, writer: W) -> InOrder<W> {
        InOrder {
            order: Mutex::new(Order {
                taken: 0,
                next: 0,
                waiting: BTreeMap::new(),
                writing: false,
                failed: false,
            }),
            room: Condvar::new(),
            writer: Mutex::new(writer),
            jobs,
            ahead: ahead.max(1),
        }
    }

    /// Every job, on rayon's threads: each takes the next job in turn, makes
    /// its outcome with `work` and hands it to [`InOrder::done`] to `write`.
    fn run(
        &self,
        work: impl Fn(usize) -> Outcome + Sync,
        write: impl Fn(&mut W, Outcome) -> bool + Sync,
    ) where
        W: Send,
    {
        let threads = rayon::current_num_threads().max(1);
        rayon::in_place_scope(|scope| {
            for _ in 0..threads.min(self.jobs) {
                scope.spawn(|_| {
                    while let Some(i) = self.next_job() {
                        self.done(i, work(i), &write);
                    }
                });
            }
        });
    }

    /// The next job, once it is no more than `ahead` past the next to write;
    /// `None` when all are taken or writing failed.
    fn next_job(&self) -> Option<usize> {
        let mut o = lock(&self.order);
        while !o.failed && o.taken < self.jobs && o.taken >= o.next + self.ahead {
            o = self.room.wait(o).unwrap_or_else(|e| e.into_inner());
        }
        if o.failed || o.taken >= self.jobs {
            return None;
        }
        o.taken += 1;
        Some(o.taken - 1)
    }

    /// Job `i`'s outcome: written, with the outcomes after it that are done,
    /// if it is the next to write and no other thread is writing.
    fn done(&self, i: usize, outcome: Outcome, mut write: impl FnMut(&mut W, Outcome) -> bool) {
        let mut o = lock(&self.order);
        o.waiting.insert(i, outcome);
        if o.writing {
            return;
        }
        o.writing = true;
        loop {
            let mut batch = Vec::new();
            while let Some(x) = {
                let next = o.next;
                o.waiting.remove(&next)
            } {
                batch.push(x);
                o.next += 1;
            }
            if batch.is_empty() || o.failed {
                o.writing = false;
                return;
            }
            drop(o);
            self.room.notify_all();
            let ok = {
                let _stop = StopOnUnwind(self);
                let mut w = lock(&self.writer);
                batch.into_iter().all(|x| write(&mut w, x))
            };
            o = lock(&self.order);
            if !ok {
                o.failed = true;
                self.room.notify_all();
            }
        }
    }

    fn into_writer(self) -> W {
        // Poisoned only by a panic while writing, which the caller re-raises.
        self.writer.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// Stops the run if the thread writing unwinds: the others would otherwise
/// wait for it for ever (the panic then reaches `check`'s caller, as it did
/// when one thread wrote everything).
struct StopOnUnwind<'a, W>(&'a InOrder<W>);

impl<W> Drop for StopOnUnwind<'_, W> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let mut o = lock(&self.0.order);
            o.failed = true;
            o.writing = false;
            drop(o);
            self.0.room.notify_all();
        }
    }
}

/// Reads, analyses and renders one input.
fn process(
    job: &Job,
    args: &Args,
    palette: &Palette,
    renderer: &output::human::Renderer,
) -> Outcome {
    let text = match &job.source {
        Source::Stdin => read_stdin(),
        Source::File(p) => input::read_file(p).map_err(|e| e.to_string()),
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => return Outcome::Failed(e),
    };
    let analysis = match coachlint_core::analyze(&text, &job.config) {
        Ok(a) => a,
        Err(e) => {
            let at = match e.line {
                Some(l) => format!("{}:{l}", job.display),
                None => job.display.clone(),
            };
            return if job.optional {
                Outcome::Skipped(format!("skipped {at}: not a transcript ({})", e.message))
            } else {
                Outcome::Failed(format!("{at}: {}", e.message))
            };
        }
    };
    let mut notes = Vec::new();
    // A `--coach` that names nobody silently falls back to guessing: say so.
    if !args.configuration.coach.is_empty() && analysis.coach_source != CoachSource::Config {
        notes.push(format!(
            "{}: no speaker is called {}; the coach was taken from {}",
            job.display,
            args.configuration.coach.join(" or "),
            match analysis.coach_source {
                CoachSource::FrontMatter => "the front matter",
                CoachSource::Name => "a speaker called Coach",
                CoachSource::Inferred => "who asked the most questions",
                _ => "nobody (one speaker)",
            }
        ));
    }
    let checked = Checked::new(&job.display, &job.uri, &text, &analysis);
    let rendered = output::render(
        &checked,
        args.output_format,
        args.statistics,
        palette,
        renderer,
        job.config.rules.clone(),
    );
    Outcome::Done(rendered, notes)
}

/// The directory standard input's configuration is searched from: that of
/// `--stdin-filename`, or the current one.
fn stdin_dir(args: &Args) -> PathBuf {
    let name = args.configuration.stdin_filename.as_deref();
    name.map_or(Path::new("."), coachlint_core::config::parent_dir)
        .to_owned()
}

/// Standard input, read up to the size limit and decoded like a file.
fn read_stdin() -> Result<String, String> {
    input::read_stdin().map_err(|e| format!("{STDIN_NAME}: {e}"))
}

enum Failure {
    /// A `--select`/`--ignore`/`--coach` value is wrong: nothing can run.
    Flags(String),
    /// A `.coachlint.toml` is wrong: the transcripts under it cannot run.
    File(String),
}

/// The configuration of each input: the nearest `.coachlint.toml` (or the one
/// given, or none) with the command-line flags layered on top, each file read
/// and compiled once.
struct Configs {
    fixed: Option<Arc<Config>>,
    overrides: Option<Settings>,
    /// Directory → the config file that governs it.
    found: HashMap<PathBuf, Option<PathBuf>>,
    /// Config file → the compiled configuration, or its error message.
    loaded: HashMap<Option<PathBuf>, Result<Arc<Config>, String>>,
}

impl Configs {
    fn new(args: &Args) -> Result<Configs, ConfigError> {
        let overrides = args.configuration.overrides();
        let overrides = (overrides != Settings::default()).then_some(overrides);
        let fixed = if args.configuration.no_config {
            Some(Config::default())
        } else if let Some(p) = &args.configuration.config {
            Some(Config::load(p)?)
        } else {
            None
        };
        let mut configs = Configs {
            fixed: None,
            overrides,
            found: HashMap::new(),
            loaded: HashMap::new(),
        };
        if let Some(c) = fixed {
            configs.fixed = Some(configs.layer(c).map_err(|e| match e {
                Failure::Flags(m) | Failure::File(m) => ConfigError::new(m),
            })?);
        }
        Ok(configs)
    }

    fn layer(&self, base: Config) -> Result<Arc<Config>, Failure> {
        let Some(over) = &self.overrides else {
            return Ok(Arc::new(base));
        };
        base.layered(over.clone()).map(Arc::new).map_err(|e| {
            // The file itself was valid, so an error without a file is the flags'.
            if e.path.is_none() {
                let flag = e.key.as_deref().unwrap_or("select");
                Failure::Flags(format!("--{flag}: {}", e.message))
            } else {
                Failure::File(e.to_string())
            }
        })
    }

    /// `dir` is the directory the transcript's configuration is searched from.
    fn for_input(&mut self, dir: &Path) -> Result<Arc<Config>, Failure> {
        if let Some(c) = &self.fixed {
            return Ok(c.clone());
        }
        // One search per directory, however many transcripts it holds.
        let file = self
            .found
            .entry(dir.to_owned())
            .or_insert_with(|| Config::find(dir))
            .clone();
        if let Some(r) = self.loaded.get(&file) {
            return r.clone().map_err(Failure::File);
        }
        let base = match &file {
            Some(p) => Config::load(p).map_err(|e| e.to_string()),
            None => Ok(Config::default()),
        };
        let result = match base {
            Ok(b) => match self.layer(b) {
                Ok(c) => Ok(c),
                Err(Failure::Flags(m)) => return Err(Failure::Flags(m)),
                Err(Failure::File(m)) => Err(m),
            },
            Err(m) => Err(m),
        };
        self.loaded.insert(file, result.clone());
        result.map_err(Failure::File)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn outcome(i: usize) -> Outcome {
        Outcome::Skipped(i.to_string())
    }

    fn index(o: &Outcome) -> usize {
        match o {
            Outcome::Skipped(s) => s.parse().unwrap(),
            _ => unreachable!(),
        }
    }

    /// Runs `jobs` jobs on `threads` threads, job `i` spinning `work(i)`
    /// rounds; the outcomes in the order written, whether any job was taken
    /// more than `ahead` past the next to write, and how many were taken.
    fn run(
        jobs: usize,
        threads: usize,
        ahead: usize,
        work: impl Fn(usize) -> usize + Sync,
        fail_at: Option<usize>,
    ) -> (Vec<usize>, bool, usize) {
        let order = InOrder::new(jobs, ahead, Vec::new());
        let too_far = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    while let Some(i) = order.next_job() {
                        if i >= lock(&order.order).next + ahead {
                            too_far.store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                        for _ in 0..work(i) {
                            std::hint::black_box(i);
                            std::thread::yield_now();
                        }
                        order.done(i, outcome(i), |w: &mut Vec<usize>, o| {
                            w.push(index(&o));
                            Some(index(&o)) != fail_at
                        });
                    }
                });
            }
        });
        let taken = lock(&order.order).taken;
        (
            order.into_writer(),
            too_far.load(std::sync::atomic::Ordering::Relaxed),
            taken,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever order the threads finish in, every outcome is written
        /// once, in the order of the jobs, and no thread runs more than
        /// `ahead` past the next to write.
        #[test]
        fn outcomes_are_written_in_order(
            work in proptest::collection::vec(0usize..4, 0..60),
            threads in 1usize..5,
            ahead in 1usize..6,
        ) {
            let (written, too_far, _) = run(work.len(), threads, ahead, |i| work[i], None);
            prop_assert_eq!(written, (0..work.len()).collect::<Vec<_>>());
            prop_assert!(!too_far);
        }

        /// A panic while writing ends the run with that panic, rather than
        /// leaving the other threads waiting for the next file for ever.
        #[test]
        fn a_panic_while_writing_ends_the_run(
            work in proptest::collection::vec(0usize..3, 1..60),
            threads in 2usize..4,
            at in any::<proptest::sample::Index>(),
        ) {
            let fail = at.index(work.len());
            let (done, ended) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let result = std::panic::catch_unwind(|| {
                    let order = InOrder::new(work.len(), 2, ());
                    std::thread::scope(|s| {
                        for _ in 0..threads {
                            s.spawn(|| {
                                while let Some(i) = order.next_job() {
                                    for _ in 0..work[i] {
                                        std::thread::yield_now();
                                    }
                                    order.done(i, outcome(i), |_, o| {
                                        assert_ne!(index(&o), fail, "a bug while writing");
                                        true
                                    });
                                }
                            });
                        }
                    });
                });
                let _ = done.send(result.is_err());
            });
            // A generous bound that only a hang reaches.
            let panicked = ended.recv_timeout(std::time::Duration::from_secs(60));
            prop_assert_eq!(panicked, Ok(true));
        }

        /// A failed write (a closed pipe) stops the writing, and no job is
        /// handed out after it beyond those already within reach.
        #[test]
        fn a_failed_write_stops_the_run(
            work in proptest::collection::vec(0usize..3, 1..80),
            threads in 1usize..4,
            at in any::<proptest::sample::Index>(),
        ) {
            let ahead = 4;
            let fail = at.index(work.len());
            let (written, _, taken) = run(work.len(), threads, ahead, |i| work[i], Some(fail));
            prop_assert_eq!(written, (0..=fail).collect::<Vec<_>>());
            // The next to write has moved at most `ahead` past the failure.
            prop_assert!(taken <= work.len().min(fail + 1 + 2 * ahead), "{} taken", taken);
        }
    }
}
