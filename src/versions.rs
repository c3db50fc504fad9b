//! Kubernetes release data: reads the versions file that `[kubernetes] versions` names (one
//! `[[release]]` per minor version: release date, end of upstream support, the source that
//! states them), checks it and `[kubernetes] current` against it, and draws the support
//! timeline as an SVG at build time. The versions pages (the `[kubernetes] taxonomy`) read it.
//! It also owns the day of the build ([`today`]), which each release's support status and the
//! front matter's future-date check are measured against.

use std::cmp::Ordering;
use std::path::Path;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostics::Diagnostic;
use crate::output::escape_xml;

/// One minor release as the file states it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Release {
    /// "1.33"
    pub version: String,
    /// The `.0` release date.
    pub released: String,
    /// When the branch entered maintenance mode (patches for critical fixes only), if stated.
    pub maintenance: Option<String>,
    /// End of upstream patch support.
    pub end_of_life: String,
    /// Where the dates come from (the official release history).
    pub source: String,
    /// The release announcement, if any.
    pub announcement: Option<String>,
    pub notes: Option<String>,
    /// Whether this is `[kubernetes] current`.
    pub current: bool,
    /// Where the release stands on the day of the build ([`today`]): "upcoming" (not released
    /// yet), "supported", "maintenance" (critical fixes only) or "ended" (past end of life).
    pub status: &'static str,
}

/// Every release of the file, newest first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Versions {
    /// The file, relative to the site root.
    pub file: String,
    pub releases: Vec<Release>,
    /// The day (`YYYY-MM-DD`) each release's `status` was worked out for: the day of the build.
    pub as_of: String,
    /// Releases the file lists with a mistake (reported), left out of `releases`.
    #[serde(skip)]
    pub rejected: Vec<String>,
}

impl Versions {
    pub fn get(&self, version: &str) -> Option<&Release> {
        let key = parse_minor(version)?;
        self.releases
            .iter()
            .find(|r| parse_minor(&r.version) == Some(key))
    }

    pub fn newest(&self) -> Option<&Release> {
        self.releases.first()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    release: Vec<RawRelease>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelease {
    version: Spanned<String>,
    released: Spanned<toml::value::Datetime>,
    maintenance: Option<Spanned<toml::value::Datetime>>,
    end_of_life: Spanned<toml::value::Datetime>,
    source: Spanned<String>,
    announcement: Option<String>,
    notes: Option<String>,
}

/// "1.33" or "v1.33.2" → (1, 33).
pub fn parse_minor(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().trim_start_matches('v');
    let mut it = s.split('.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    Some((major, minor))
}

/// Orders version strings as versions ("1.9" before "1.10"); anything that is not a version
/// sorts after the versions, by text.
pub fn compare(a: &str, b: &str) -> Ordering {
    match (parse_minor(a), parse_minor(b)) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

fn date_of(d: &Spanned<toml::value::Datetime>) -> Option<Date> {
    let v = d.get_ref();
    let date = v.date?;
    if v.time.is_some() {
        return None;
    }
    Date::new(date.year as i16, date.month as i8, date.day as i8).ok()
}

/// Reads and checks the versions file, if the config names one; diagnostics point into it, or
/// at `current` in book.toml when that disagrees with the file.
pub fn load(root: &Path, config: &Config) -> (Option<Versions>, Vec<Diagnostic>) {
    let Some(rel) = config.kubernetes.versions.as_deref() else {
        return (None, Vec::new());
    };
    let mut diags = Vec::new();
    let text = match std::fs::read_to_string(root.join(rel)) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                Diagnostic::file(
                    CONFIG_FILE,
                    "versions",
                    format!("cannot read the Kubernetes versions file {rel}: {e}"),
                )
                .help("`[kubernetes] versions` names a TOML file relative to the site root"),
            );
            return (None, diags);
        }
    };
    let versions = parse(rel, &text, &mut diags);
    if let Some(v) = &versions {
        let book = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
        check_current(config, v, &book, &mut diags);
    }
    let versions = versions.map(|mut v| {
        let current = config.kubernetes.current.as_deref().and_then(parse_minor);
        let today = today();
        for r in &mut v.releases {
            r.current = current.is_some() && parse_minor(&r.version) == current;
            r.status = r.status_on(&today);
        }
        v.as_of = today;
        v
    });
    (versions, diags)
}

/// The day of the build, `YYYY-MM-DD` (UTC): from `SOURCE_DATE_EPOCH` when set, as reproducible
/// builds set it, else the clock. Only what a page says about a release's support depends on
/// it, and only changes when a release's status does.
pub fn today() -> String {
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok());
    epoch
        .unwrap_or_else(jiff::Timestamp::now)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string()
}

impl Release {
    /// Where the release stands on `day` (`YYYY-MM-DD`; the file's dates are written so, and
    /// compare as text).
    fn status_on(&self, day: &str) -> &'static str {
        if day < self.released.as_str() {
            "upcoming"
        } else if day > self.end_of_life.as_str() {
            "ended"
        } else if self.maintenance.as_deref().is_some_and(|m| day >= m) {
            "maintenance"
        } else {
            "supported"
        }
    }
}

/// Gives every release of the versions file a term of the versions taxonomy, so each has its
/// page (dates, source, notes) before any page names it: a reader looking up the newest
/// release finds its page, and the versions table links every row. Only on a site that has
/// the taxonomy.
pub fn add_release_terms(config: &Config, site: &mut crate::site::Site, versions: &Versions) {
    let Some(terms) = site.taxonomies.get_mut(config.kubernetes.taxonomy()) else {
        return;
    };
    for r in &versions.releases {
        let slug = crate::slug::slugify(&r.version);
        terms
            .entry(slug.clone())
            .or_insert_with(|| crate::site::Term {
                name: r.version.clone(),
                slug,
                pages: Vec::new(),
            });
    }
}

/// A warning for every value of a field feeding the versions taxonomy that is not a release of
/// the versions file written as the file writes it: "1.3" or "1.99" (no such release), "v1.33"
/// or "1.33.2" (a page of its own beside 1.33's). A future release is only a warning: the file
/// may not have it yet.
pub fn check_terms(
    config: &Config,
    site: &crate::site::Site,
    versions: &Versions,
) -> Vec<Diagnostic> {
    let taxonomy = config.kubernetes.taxonomy();
    let mut diags = Vec::new();
    for page in &site.pages {
        let Some(fields) = page
            .collection
            .as_deref()
            .and_then(|c| config.collection(c))
            .and_then(|c| c.fields.as_ref())
        else {
            continue;
        };
        for (name, spec) in fields {
            if spec.get_ref().taxonomy.as_deref() != Some(taxonomy) {
                continue;
            }
            let values: Vec<&str> = match page.fields.get(name) {
                Some(serde_json::Value::Array(items)) => {
                    items.iter().filter_map(|v| v.as_str()).collect()
                }
                Some(serde_json::Value::String(v)) => vec![v.as_str()],
                _ => continue,
            };
            for value in values {
                if versions.releases.iter().any(|r| r.version == value) {
                    continue;
                }
                let newest = versions.newest().map_or("1.34", |r| r.version.as_str());
                let well_formed = value.split_once('.').is_some_and(|(a, b)| {
                    [a, b]
                        .iter()
                        .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
                });
                let help = match versions.get(value) {
                    Some(r) => format!(
                        "write the minor version as the versions pages group it: \"{}\"",
                        r.version
                    ),
                    None => match versions
                        .releases
                        .iter()
                        .find(|r| r.version.strip_suffix('0') == Some(value))
                    {
                        Some(r) => format!("did you mean \"{}\"?", r.version),
                        None if well_formed => format!(
                            "if {value} is right, add the release (its dates and their source) to {}",
                            versions.file
                        ),
                        None => format!("write a Kubernetes minor version such as \"{newest}\""),
                    },
                };
                let text = page.source_text();
                let key = page.key_span(name);
                // The value itself, quoted, after its key (a list may span lines).
                let quoted = [format!("\"{value}\""), format!("'{value}'")];
                // Only in the front matter: the body may quote the same value.
                let span = text
                    .get(key.end..page.body_start.max(key.end))
                    .and_then(|rest| {
                        quoted
                            .iter()
                            .filter_map(|q| rest.find(q.as_str()))
                            .min()
                            .map(|at| key.end + at..key.end + at + value.len() + 2)
                    })
                    .unwrap_or(key);
                diags.push(
                    Diagnostic::at(
                        &page.file,
                        &text,
                        span,
                        "version",
                        format!(
                            "\"{value}\" is not a Kubernetes release in {}",
                            versions.file
                        ),
                    )
                    .help(help)
                    .warning(),
                );
            }
        }
    }
    diags
}

/// The hint for a versions file that does not have the expected shape, from the TOML error's
/// `message` and the text it points at (`written`).
fn shape_help(message: &str, written: &str) -> String {
    let written = written.trim();
    if message.contains("floating point") || message.contains("integer") {
        format!(
            "quote the version: `version = \"{written}\"` (unquoted, 1.30 would be read as the number 1.3)"
        )
    } else if message.contains("expected a TOML datetime")
        || message.contains("expected a datetime")
    {
        "write the date bare, without quotes, as YYYY-MM-DD: `released = 2025-04-23`".into()
    } else if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.split('`').next())
    {
        format!("add `{field}` to this [[release]] table (the release page states it)")
    } else {
        "each release is a [[release]] table with version, released, end_of_life and source".into()
    }
}

/// Parses the file's text; `None` when it is not valid TOML of the expected shape.
pub fn parse(rel: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Versions> {
    let file: File = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let message = e.message().trim().to_string();
            let help = shape_help(&message, text.get(e.span().unwrap_or(0..0)).unwrap_or(""));
            diags.push(
                Diagnostic::at(rel, text, e.span().unwrap_or(0..0), "versions", message).help(help),
            );
            return None;
        }
    };
    let mut releases: Vec<Release> = Vec::new();
    let mut rejected = Vec::new();
    for raw in file.release {
        let version = raw.version.get_ref().trim().to_string();
        if parse_minor(&version).is_none() {
            diags.push(
                Diagnostic::at(
                    rel,
                    text,
                    raw.version.span(),
                    "versions",
                    format!("`{version}` is not a minor version"),
                )
                .help("write the minor version as a quoted string, e.g. \"1.33\""),
            );
            continue;
        }
        if releases
            .iter()
            .any(|r| compare(&r.version, &version) == Ordering::Equal)
        {
            diags.push(
                Diagnostic::at(
                    rel,
                    text,
                    raw.version.span(),
                    "versions",
                    format!("{version} is listed twice"),
                )
                .help("remove one of its two [[release]] tables, keeping the dates its release page states"),
            );
            continue;
        }
        let mut dates = Vec::new();
        for (name, d) in [
            ("released", Some(&raw.released)),
            ("maintenance", raw.maintenance.as_ref()),
            ("end_of_life", Some(&raw.end_of_life)),
        ] {
            let Some(d) = d else {
                dates.push(None);
                continue;
            };
            match date_of(d) {
                Some(date) => dates.push(Some(date)),
                None => {
                    diags.push(
                        Diagnostic::at(
                            rel,
                            text,
                            d.span(),
                            "date",
                            format!("`{name}` of {version} is not a date"),
                        )
                        .help("write a bare TOML date, e.g. 2025-04-23"),
                    );
                    dates.push(None);
                }
            }
        }
        let (Some(Some(released)), Some(maintenance), Some(Some(end_of_life))) = (
            dates.first().copied(),
            dates.get(1).copied(),
            dates.get(2).copied(),
        ) else {
            rejected.push(version);
            continue;
        };
        if end_of_life <= released {
            diags.push(
                Diagnostic::at(
                    rel,
                    text,
                    raw.end_of_life.span(),
                    "versions",
                    format!("{version} reaches end of life ({end_of_life}) before it is released ({released})"),
                )
                .help(format!("end_of_life comes about 14 months after released: check both against {version}'s release page")),
            );
            rejected.push(version);
            continue;
        }
        let source = raw.source.get_ref().trim().to_string();
        if !(source.starts_with("https://") || source.starts_with("http://")) {
            diags.push(
                Diagnostic::at(
                    rel,
                    text,
                    raw.source.span(),
                    "url",
                    format!("the source of {version} is not an http(s) URL"),
                )
                .help("link the official release history page that states these dates"),
            );
            rejected.push(version);
            continue;
        }
        releases.push(Release {
            version,
            released: released.to_string(),
            maintenance: maintenance.map(|d| d.to_string()),
            end_of_life: end_of_life.to_string(),
            source,
            announcement: raw.announcement,
            notes: raw.notes,
            current: false,
            status: "supported",
        });
    }
    releases.sort_by(|a, b| compare(&b.version, &a.version));
    Some(Versions {
        file: rel.to_string(),
        releases,
        as_of: String::new(),
        rejected,
    })
}

/// Warns when `[kubernetes] current` is missing from the file or is not its newest release.
fn check_current(config: &Config, versions: &Versions, book: &str, diags: &mut Vec<Diagnostic>) {
    let Some(current) = config.kubernetes.current.as_deref() else {
        return;
    };
    // A release the file lists with a mistake has its own error: no second one here.
    if versions
        .rejected
        .iter()
        .any(|r| compare(r, current) == Ordering::Equal)
    {
        return;
    }
    // A release announced with its date ahead is not the current one until that day.
    let today = today();
    let Some(newest) = versions
        .releases
        .iter()
        .find(|r| r.released.as_str() <= today.as_str())
    else {
        return;
    };
    let span = current_span(book);
    if versions.get(current).is_none() {
        diags.push(
            Diagnostic::at(
                CONFIG_FILE,
                book,
                span,
                "current-version",
                format!(
                    "`[kubernetes] current` is {current}, which {} does not list",
                    versions.file
                ),
            )
            .help(format!(
                "add {current} to {} with its dates and source, or set current to {}",
                versions.file, newest.version
            ))
            .warning(),
        );
    } else if compare(current, &newest.version) != Ordering::Equal {
        diags.push(
            Diagnostic::at(
                CONFIG_FILE,
                book,
                span,
                "current-version",
                format!(
                    "`[kubernetes] current` is {current}, but {} lists {} as the newest release",
                    versions.file, newest.version
                ),
            )
            .help(format!(
                "set `current = \"{}\"`, or remove releases that have not shipped from {}",
                newest.version, versions.file
            ))
            .warning(),
        );
    }
}

/// The byte range of `current`'s value under `[kubernetes]` in book.toml.
fn current_span(book: &str) -> std::ops::Range<usize> {
    #[derive(Deserialize)]
    struct Book {
        kubernetes: Option<Kubernetes>,
    }
    #[derive(Deserialize)]
    struct Kubernetes {
        current: Option<Spanned<String>>,
    }
    toml::from_str::<Book>(book)
        .ok()
        .and_then(|b| b.kubernetes)
        .and_then(|k| k.current)
        .map_or(0..0, |c| c.span())
}

/// Width of the timeline's label column and of the drawing, in SVG units.
const LABEL: f64 = 56.0;
const WIDTH: f64 = 720.0;
const ROW: f64 = 22.0;
const AXIS: f64 = 26.0;
/// Room right of the last year's line: its label is centred on it, so half a "2028" (12px
/// text) and a margin must fit inside the drawing.
const RIGHT: f64 = 20.0;
/// Room under the bars for the label of the build day's line.
const FOOT: f64 = 18.0;
/// Width of an "end of life" note at 11px (about 5.3 units a character), with a little room.
const NOTE_WIDTH: f64 = 62.0;

/// Where an ended release's "end of life" note goes: after its bar, or before it (anchored at
/// its end) when after it would cross the build day's line at `built`, as it does for the
/// releases that ended in the months before the build.
fn note_place(x0: f64, x2: f64, built: Option<f64>) -> (f64, &'static str) {
    let after = (x2 + 4.0, x2 + 4.0 + NOTE_WIDTH);
    let crosses = built.is_some_and(|b| after.0 - 3.0 <= b && b <= after.1 + 3.0);
    if crosses && x0 - 4.0 - NOTE_WIDTH >= LABEL {
        (x0 - 4.0, "end")
    } else {
        (after.0, "start")
    }
}

/// The support timeline: one bar per release from its release date to its end of life (the
/// maintenance-mode stretch drawn lighter), with a tick per year and a dashed line at the day
/// of the build (`as_of`), labelled "built <date>" under the bars. A release past end of life
/// on that day is drawn apart (`timeline-ended`) and says so in words after its bar. Colours
/// come from the stylesheet (`.timeline-*`), so one drawing serves light and dark.
pub fn timeline_svg(versions: &Versions, title_id: &str) -> String {
    let parsed: Vec<(&Release, Date, Option<Date>, Date)> = versions
        .releases
        .iter()
        .filter_map(|r| {
            let released: Date = r.released.parse().ok()?;
            let eol: Date = r.end_of_life.parse().ok()?;
            let maint = r.maintenance.as_deref().and_then(|m| m.parse().ok());
            Some((r, released, maint, eol))
        })
        .collect();
    let (Some(start), Some(end)) = (
        parsed.iter().map(|p| p.1).min(),
        parsed.iter().map(|p| p.3).max(),
    ) else {
        return String::new();
    };
    let first_year = start.year();
    let last_year = end.year() + 1;
    let Ok(axis_start) = Date::new(first_year, 1, 1) else {
        return String::new();
    };
    let Ok(axis_end) = Date::new(last_year, 1, 1) else {
        return String::new();
    };
    let days = |d: Date| f64::from(axis_start.until(d).map(|s| s.get_days()).unwrap_or(0));
    let total = days(axis_end).max(1.0);
    let x = |d: Date| LABEL + (WIDTH - LABEL - RIGHT) * days(d) / total;
    let built: Option<Date> = versions
        .as_of
        .parse()
        .ok()
        .filter(|d| (axis_start..=axis_end).contains(d));
    let bars_end = AXIS + ROW * parsed.len() as f64 + 4.0;
    let height = bars_end + if built.is_some() { FOOT } else { 0.0 };
    let mut s = format!(
        "<svg class=\"timeline\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\">",
        id = escape_xml(title_id)
    );
    for year in first_year..=last_year {
        let Ok(d) = Date::new(year, 1, 1) else {
            continue;
        };
        let xx = x(d);
        s.push_str(&format!(
            "<line class=\"timeline-grid\" x1=\"{xx:.1}\" y1=\"{y1}\" x2=\"{xx:.1}\" y2=\"{height}\"/><text class=\"timeline-year\" x=\"{xx:.1}\" y=\"14\" text-anchor=\"middle\">{year}</text>",
            y1 = AXIS - 6.0
        ));
    }
    for (row, (r, released, maint, eol)) in parsed.iter().enumerate() {
        let y = AXIS + ROW * row as f64;
        let x0 = x(*released);
        let x2 = x(*eol);
        let x1 = maint.map_or(x2, |m| x(m).clamp(x0, x2));
        let ended = r.status == "ended";
        // An ended release is one bar to its end of life: its maintenance stretch is over too.
        let x1 = if ended { x2 } else { x1 };
        let class = match (r.current, ended) {
            (true, true) => "timeline-bar timeline-current timeline-ended",
            (true, false) => "timeline-bar timeline-current",
            (false, true) => "timeline-bar timeline-ended",
            (false, false) => "timeline-bar",
        };
        s.push_str(&format!(
            "<text class=\"timeline-label\" x=\"{lx}\" y=\"{ty:.1}\" text-anchor=\"end\">{v}</text><rect class=\"{class}\" x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h}\" rx=\"3\"><title>{v}: released {rel}, end of life {eol}{past}</title></rect>",
            lx = LABEL - 8.0,
            ty = y + ROW / 2.0 + 4.0,
            v = escape_xml(&r.version),
            w = (x1 - x0).max(1.0),
            h = ROW - 6.0,
            rel = r.released,
            eol = r.end_of_life,
            past = if ended { " (past)" } else { "" },
        ));
        if ended {
            let (nx, anchor) = note_place(x0, x2, built.map(&x));
            s.push_str(&format!(
                "<text class=\"timeline-note\" x=\"{nx:.1}\" y=\"{ty:.1}\" text-anchor=\"{anchor}\">end of life</text>",
                ty = y + ROW / 2.0 + 4.0,
            ));
        }
        if x2 > x1 {
            s.push_str(&format!(
                "<rect class=\"timeline-maintenance\" x=\"{x1:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h}\" rx=\"3\"/>",
                w = x2 - x1,
                h = ROW - 6.0
            ));
        }
    }
    if let Some(day) = built {
        let bx = x(day);
        // The label sits left of the line when the line is in the right half of the drawing.
        let (anchor, lx) = if bx > WIDTH / 2.0 {
            ("end", bx - 4.0)
        } else {
            ("start", bx + 4.0)
        };
        s.push_str(&format!(
            "<line class=\"timeline-built\" x1=\"{bx:.1}\" y1=\"{y1}\" x2=\"{bx:.1}\" y2=\"{bars_end:.1}\"/><text class=\"timeline-built-label\" x=\"{lx:.1}\" y=\"{ty:.1}\" text-anchor=\"{anchor}\">built {day}</text>",
            y1 = AXIS - 6.0,
            ty = height - 4.0,
        ));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[release]]
version = "1.9"
released = 2017-12-15
end_of_life = 2018-09-29
source = "https://kubernetes.io/releases/"

[[release]]
version = "1.10"
released = 2018-03-26
maintenance = 2018-12-01
end_of_life = 2019-02-13
source = "https://kubernetes.io/releases/"
"#;

    #[test]
    fn versions_sort_as_versions() {
        let mut d = Vec::new();
        let v = parse("k.toml", FILE, &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
        let order: Vec<&str> = v.releases.iter().map(|r| r.version.as_str()).collect();
        assert_eq!(order, ["1.10", "1.9"]);
        assert_eq!(compare("1.9", "1.10"), Ordering::Less);
        assert_eq!(compare("1.10", "other"), Ordering::Less);
        assert_eq!(
            v.get("v1.10.3").map(|r| r.end_of_life.as_str()),
            Some("2019-02-13")
        );
    }

    #[test]
    fn bad_rows_are_reported_where_they_are() {
        let text = "[[release]]\nversion = \"latest\"\nreleased = 2020-01-01\nend_of_life = 2021-01-01\nsource = \"https://x\"\n\n[[release]]\nversion = \"1.2\"\nreleased = 2020-01-01\nend_of_life = 2019-01-01\nsource = \"https://x\"\n\n[[release]]\nversion = \"1.3\"\nreleased = 2020-01-01\nend_of_life = 2021-01-01\nsource = \"kubernetes.io\"\n";
        let mut d = Vec::new();
        let v = parse("k.toml", text, &mut d).unwrap();
        assert!(v.releases.is_empty());
        let lines: Vec<(usize, &str)> = d.iter().map(|d| (d.line, d.code)).collect();
        assert_eq!(lines, [(2, "versions"), (10, "versions"), (17, "url")]);
        let mut d = Vec::new();
        assert!(parse("k.toml", "[[release]]\nversion = 1\n", &mut d).is_none());
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn timeline_draws_a_bar_per_release() {
        let mut d = Vec::new();
        let mut v = parse("k.toml", FILE, &mut d).unwrap();
        if let Some(r) = v.releases.first_mut() {
            r.current = true;
        }
        let svg = timeline_svg(&v, "t");
        assert_eq!(svg.matches("class=\"timeline-bar").count(), 2);
        assert_eq!(svg.matches("timeline-current").count(), 1);
        assert_eq!(svg.matches("timeline-maintenance").count(), 1);
        assert!(svg.contains(">2017<") && svg.contains(">2020<"));
    }

    #[test]
    fn timeline_marks_the_build_day_and_ended_releases() {
        let mut d = Vec::new();
        let mut v = parse("k.toml", FILE, &mut d).unwrap();
        // On 2018-12-15, 1.9 is past its end of life and 1.10 in maintenance mode.
        v.as_of = "2018-12-15".into();
        for r in &mut v.releases {
            r.status = r.status_on(&v.as_of);
        }
        let svg = timeline_svg(&v, "t");
        assert_eq!(svg.matches("class=\"timeline-built\"").count(), 1);
        assert!(svg.contains(">built 2018-12-15</text>"), "{svg}");
        assert_eq!(svg.matches("timeline-ended").count(), 1, "{svg}");
        assert_eq!(svg.matches(">end of life</text>").count(), 1, "{svg}");
        // 1.10's maintenance stretch is still drawn lighter.
        assert_eq!(svg.matches("timeline-maintenance").count(), 1);
        // Without a day of the build inside the drawing, no line.
        v.as_of = "2031-01-01".into();
        assert!(!timeline_svg(&v, "t").contains("timeline-built"));
    }

    /// The x and anchor of each "end of life" note, and the x of the build day's line.
    fn notes_and_line(svg: &str) -> (Vec<(f64, String)>, f64) {
        let attr = |tag: &str, name: &str| -> String {
            let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            tag[at..].split('"').next().unwrap().to_string()
        };
        let notes = svg
            .split("<text class=\"timeline-note\"")
            .skip(1)
            .map(|t| (attr(t, "x").parse().unwrap(), attr(t, "text-anchor")))
            .collect();
        let line = svg.split("<line class=\"timeline-built\"").nth(1).unwrap();
        (notes, attr(line, "x1").parse().unwrap())
    }

    #[test]
    fn an_end_of_life_note_never_crosses_the_build_day_line() {
        let mut d = Vec::new();
        let mut v = parse("k.toml", FILE, &mut d).unwrap();
        // 1.9 ended on 2018-09-29: a week later the line runs just after its bar, where the
        // note would go.
        v.as_of = "2018-10-06".into();
        for r in &mut v.releases {
            r.status = r.status_on(&v.as_of);
        }
        let svg = timeline_svg(&v, "t");
        let (notes, line) = notes_and_line(&svg);
        assert_eq!(notes.len(), 1, "{svg}");
        for (nx, anchor) in &notes {
            let (from, to) = if anchor == "end" {
                (nx - NOTE_WIDTH, *nx)
            } else {
                (*nx, nx + NOTE_WIDTH)
            };
            assert!(
                line < from || line > to,
                "note {from}..{to} crosses the line at {line}: {svg}"
            );
        }
        // Far from the line, the note stays after its bar.
        v.as_of = "2019-12-01".into();
        for r in &mut v.releases {
            r.status = r.status_on(&v.as_of);
        }
        let (notes, _) = notes_and_line(&timeline_svg(&v, "t"));
        assert!(notes.iter().all(|(_, a)| a == "start"), "{notes:?}");
    }

    #[test]
    fn the_last_year_label_fits_in_the_drawing() {
        let mut d = Vec::new();
        let v = parse("k.toml", FILE, &mut d).unwrap();
        let svg = timeline_svg(&v, "t");
        // The last label, centred on its x: "2020" at 12px is about 29 units wide.
        let label = svg
            .rsplit("<text class=\"timeline-year\" x=\"")
            .next()
            .unwrap();
        assert!(label.contains(">2020<"), "{label}");
        let x: f64 = label.split('"').next().unwrap().parse().unwrap();
        assert!(
            x + 29.0 / 2.0 <= WIDTH,
            "2020 centred at {x} overflows {WIDTH}"
        );
    }
}
