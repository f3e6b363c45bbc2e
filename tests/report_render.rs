//! The HTML report drawn by a real browser: headless Chromium renders the page
//! to PNG, and the chart areas must hold the colours of what they plot.
//!
//! Needs Chromium, so it is ignored by default; `.ci/report-render.sh`
//! installs it and runs this with `--ignored`. Set `CHROMIUM` to use another
//! binary, and `REPORT_RENDER_KEEP=DIR` to keep the pages and PNGs to look at.

mod report_support;

use coachlint_report::{Format, RenderOptions, render};
use report_support::load;
use std::path::{Path, PathBuf};
use std::process::Command;

const WIDTH: u32 = 1280;

struct Png {
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

impl Png {
    fn read(path: &Path) -> Png {
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("a sane PNG size")];
        let info = reader.next_frame(&mut buf).expect("a PNG frame");
        buf.truncate(info.buffer_size());
        let rgba = match info.color_type {
            png::ColorType::Rgba => buf,
            png::ColorType::Rgb => buf
                .chunks_exact(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect(),
            other => panic!("unexpected PNG colour type {other:?}"),
        };
        Png {
            width: info.width,
            height: info.height,
            rgba,
        }
    }

    fn pixel(&self, x: u32, y: u32) -> [u8; 3] {
        let i = ((y * self.width + x) * 4) as usize;
        [self.rgba[i], self.rgba[i + 1], self.rgba[i + 2]]
    }

    /// Pixels within a small distance of `colour`, and their bounding box.
    fn find(&self, colour: &str) -> (usize, Option<(u32, u32, u32, u32)>) {
        let want = rgb(colour);
        let mut n = 0;
        let mut bbox: Option<(u32, u32, u32, u32)> = None;
        for y in 0..self.height {
            for x in 0..self.width {
                let p = self.pixel(x, y);
                if p.iter().zip(want).all(|(a, b)| a.abs_diff(b) <= 6) {
                    n += 1;
                    bbox = Some(match bbox {
                        None => (x, y, x, y),
                        Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
                    });
                }
            }
        }
        (n, bbox)
    }

    /// Distinct colours in a rectangle: a blank area has one or two.
    fn colours_in(&self, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> usize {
        let mut seen = std::collections::HashSet::new();
        for y in y0..=y1.min(self.height - 1) {
            for x in x0..=x1.min(self.width - 1) {
                seen.insert(self.pixel(x, y));
            }
        }
        seen.len()
    }
}

fn rgb(hex: &str) -> [u8; 3] {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap();
    [c(0), c(2), c(4)]
}

/// The colour `hex` at `alpha` over white, as the browser blends it.
fn over_white(hex: &str, alpha: f64) -> String {
    let [r, g, b] = rgb(hex).map(|c| (255.0 - alpha * (255.0 - c as f64)).round() as u8);
    format!("#{r:02X}{g:02X}{b:02X}")
}

fn chromium() -> PathBuf {
    if let Ok(p) = std::env::var("CHROMIUM") {
        return PathBuf::from(p);
    }
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(o) = Command::new("which").arg(name).output() {
            if o.status.success() {
                return PathBuf::from(String::from_utf8_lossy(&o.stdout).trim());
            }
        }
    }
    panic!("no Chromium found: run .ci/report-render.sh, or set CHROMIUM");
}

/// Renders a page to a PNG `height` pixels tall with the flags CI allows.
fn screenshot(page: &str, dir: &Path, name: &str, height: u32) -> Png {
    let html = dir.join(format!("{name}.html"));
    let png = dir.join(format!("{name}.png"));
    std::fs::write(&html, page).unwrap();
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--window-size={WIDTH},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("runs Chromium");
    assert!(
        png.exists(),
        "Chromium wrote no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Png::read(&png)
}

fn workdir() -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var("REPORT_RENDER_KEEP") {
        Ok(d) => {
            std::fs::create_dir_all(&d).unwrap();
            (None, std::fs::canonicalize(d).unwrap())
        }
        Err(_) => {
            let t = tempfile::tempdir().unwrap();
            let p = t.path().to_owned();
            (Some(t), p)
        }
    }
}

/// A chart's marks: at least `min` pixels of `colour`, spread over a region
/// that is drawn (many colours), not a flat box.
fn assert_drawn(png: &Png, what: &str, colour: &str, min: usize) -> (u32, u32, u32, u32) {
    let (n, bbox) = png.find(colour);
    assert!(
        n >= min,
        "{what}: {n} pixels of {colour}, expected at least {min}"
    );
    let bbox = bbox.unwrap();
    assert!(png.colours_in(bbox) > 3, "{what}: a flat region {bbox:?}");
    bbox
}

#[test]
#[ignore = "needs Chromium: run .ci/report-render.sh"]
fn one_session_charts_are_drawn() {
    let (_keep, dir) = workdir();
    let page = render(
        &load(&["advice-heavy.transcript"]),
        Format::Html,
        &RenderOptions::default(),
    );
    let png = screenshot(&page, &dir, "session", 2000);
    assert_eq!(png.width, WIDTH);
    // Talk share: the coach's bar and the client's bar, and the green zone.
    let coach = assert_drawn(&png, "coach bars", "#0072B2", 4000);
    assert_drawn(&png, "client bars", "#E69F00", 2000);
    assert_drawn(&png, "green zone", &over_white("#009E73", 0.16), 600);
    // Timeline, mode row: this coach advises, consults and mentors.
    let advising = assert_drawn(&png, "advising turns", "#D55E00", 4000);
    assert_drawn(&png, "mentoring turns", "#CC79A7", 600);
    // Questions across the session: open and closed questions, statements.
    assert_drawn(&png, "closed questions", "#56B4E9", 400);
    assert_drawn(&png, "statements", "#B9BEC4", 2000);
    // The charts are where a reader looks first: above the fold's second screen.
    assert!(
        coach.1 < 1200 && advising.1 < 1400,
        "{coach:?} {advising:?}"
    );
}

#[test]
#[ignore = "needs Chromium: run .ci/report-render.sh"]
fn series_trend_charts_are_drawn() {
    let (_keep, dir) = workdir();
    let names = [
        "series/week-a.transcript",
        "series/week-b.transcript",
        "series/week-c.transcript",
        "series/zz-undated.transcript",
    ];
    let options = RenderOptions {
        summary_only: true,
        title: None,
    };
    let page = render(&load(&names), Format::Html, &options);
    let png = screenshot(&page, &dir, "series", 1600);
    // The three trend lines and their points, and the talk-share green zone.
    let line = assert_drawn(&png, "trend lines", "#0072B2", 600);
    assert_drawn(&png, "green zone band", &over_white("#009E73", 0.16), 3000);
    // The lines span most of the width of the trend row.
    assert!(line.2 - line.0 > WIDTH / 2, "{line:?}");
}
