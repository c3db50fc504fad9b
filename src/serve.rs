//! `opsbook serve`: builds the site into memory, serves it over HTTP on loopback, watches the
//! sources and rebuilds on change, and tells open pages to reload (server-sent events). A broken
//! edit keeps the last good site served and shows the diagnostics as an overlay until fixed.
//! Nothing is written to disk.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use tokio::sync::broadcast;

use crate::diagnostics::{self, Diagnostic, Format};
use crate::pipeline::{Failure, Options};
use crate::session::{Session, Update};
use crate::theme::StaticFile;

/// Where the live-reload script listens.
pub const EVENTS_PATH: &str = "/__opsbook/events";

/// How `serve` was asked to run.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub site: Options,
    pub bind: String,
    pub port: u16,
    pub open: bool,
}

/// One file the server can answer with.
#[derive(Clone)]
enum Served {
    Bytes(Arc<Vec<u8>>),
    File(StaticFile),
}

/// The last good site and the current error, if any.
#[derive(Default)]
struct Snapshot {
    files: HashMap<String, Served>,
    /// Diagnostics of the last failed rebuild (cleared by a good one).
    errors: Vec<Diagnostic>,
    version: u64,
}

/// What the browser is told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    Reload(u64),
    Css(u64),
    Errors(String),
}

struct Shared {
    snapshot: RwLock<Snapshot>,
    events: broadcast::Sender<Signal>,
    /// Bumped by every build of the search bundle, so an older background index never
    /// replaces a newer one.
    search_generation: std::sync::atomic::AtomicU64,
}

/// Runs `serve` until Ctrl-C. Prints `Serving at http://ADDR:PORT/` once the site is ready.
pub fn serve(mut options: ServeOptions) -> Result<(), Failure> {
    // The watcher reports absolute paths; a relative root would match none of them.
    if let Ok(root) = std::path::absolute(&options.site.root) {
        options.site.root = root;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Setup(format!("cannot start the server runtime: {e}")))?;
    runtime.block_on(run(options))
}

async fn run(options: ServeOptions) -> Result<(), Failure> {
    let addr = format!("{}:{}", options.bind, options.port);
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Failure::Setup(format!("port {} on {} is already in use; pick another with --port (or --port 0 for any free port)", options.port, options.bind))
        } else {
            Failure::Setup(format!("cannot listen on {addr}: {e}"))
        }
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::Setup(e.to_string()))?;
    let mut site = options.site.clone();
    let host = if local.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        local.ip().to_string()
    };
    site.base_url = Some(format!("http://{host}:{}/", local.port()));

    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Snapshot::default()),
        events,
        search_generation: std::sync::atomic::AtomicU64::new(0),
    });
    // The first build must succeed or report; a broken site still serves the overlay.
    let mut session = None;
    let first = rebuild(&site, &shared, &mut session, &[]);
    if let Err(Failure::Setup(msg)) = first {
        return Err(Failure::Setup(msg));
    }

    let watch_root = site.root.clone();
    let watcher_shared = shared.clone();
    let watcher_site = site.clone();
    let session = Arc::new(std::sync::Mutex::new(session));
    let _watcher = watch(&watch_root, move |paths| {
        let start = Instant::now();
        let drawn_before = crate::diagram::draws();
        let mut kept = session.lock().unwrap_or_else(|p| p.into_inner());
        match rebuild(&watcher_site, &watcher_shared, &mut kept, &paths) {
            Ok(how) => {
                // Diagrams come from a cache kept across rebuilds: only changed ones are drawn.
                let drawn = crate::diagram::draws().saturating_sub(drawn_before);
                let how = match how {
                    Rebuilt::Incremental {
                        rendered,
                        graph_kept,
                    } => format!(
                        "incremental, {rendered} rendered, graph {}",
                        if graph_kept { "kept" } else { "rebuilt" }
                    ),
                    Rebuilt::Full => "full".to_string(),
                };
                eprintln!(
                    "Rebuilt in {} ms ({} changed, {drawn} {} drawn, {how})",
                    start.elapsed().as_millis(),
                    paths.len(),
                    if drawn == 1 { "diagram" } else { "diagrams" }
                );
                drop(kept);
                reindex_later(watcher_shared.clone(), session.clone());
            }
            Err(Failure::Setup(msg)) => eprintln!("error: {msg}"),
            Err(Failure::Invalid(_)) => {}
        }
    })
    .map_err(|e| Failure::Setup(format!("cannot watch {}: {e}", watch_root.display())))?;

    let app = Router::new()
        .route(EVENTS_PATH, axum::routing::get(sse))
        .fallback(handle)
        .with_state(shared.clone());
    let url = format!("http://{local}/");
    println!("Serving at {url}");
    if options.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("Stopping.");
        })
        .await
        .map_err(|e| Failure::Setup(format!("server error: {e}")))
}

/// How long the sources must stay unchanged after an edit before the search bundle is built
/// again: while an author saves in quick succession, the reloads do not share the two cores
/// with indexing (about a second of CPU at 10k pages).
const REINDEX_AFTER: Duration = Duration::from_millis(1000);

/// Builds the search bundle on its own thread once the sources have been quiet for
/// [`REINDEX_AFTER`] (the page has already reloaded) and swaps it in, unless a newer edit or
/// build came meanwhile.
fn reindex_later(shared: Arc<Shared>, session: Arc<std::sync::Mutex<Option<Session>>>) {
    use std::sync::atomic::Ordering;
    let generation = shared.search_generation.fetch_add(1, Ordering::SeqCst) + 1;
    std::thread::spawn(move || {
        std::thread::sleep(REINDEX_AFTER);
        if shared.search_generation.load(Ordering::SeqCst) != generation {
            return;
        }
        let input = session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_mut()
            .and_then(Session::take_search_input);
        let Some(input) = input else { return };
        let files = crate::emit::search::build(input);
        let mut snap = shared.snapshot.write().unwrap_or_else(|p| p.into_inner());
        if shared.search_generation.load(Ordering::SeqCst) != generation {
            return;
        }
        snap.files
            .retain(|path, _| !path.starts_with(crate::emit::search::DATA));
        for f in files {
            snap.files.insert(f.path, Served::Bytes(Arc::new(f.bytes)));
        }
    });
}

/// How a rebuild went about it.
#[derive(Debug, Clone, Copy)]
enum Rebuilt {
    /// From the kept session: `rendered` files rendered again; `graph_kept`: the site graph
    /// and plan were updated in place rather than built again.
    Incremental {
        rendered: usize,
        graph_kept: bool,
    },
    Full,
}

/// Rebuilds the site into memory — incrementally when `session` allows it — and signals the
/// browsers. `changed` are the paths that triggered it (empty for the first build).
fn rebuild(
    options: &Options,
    shared: &Shared,
    session: &mut Option<Session>,
    changed: &[PathBuf],
) -> Result<Rebuilt, Failure> {
    let collected = std::sync::Mutex::new(Vec::new());
    let sink =
        |f: crate::output::OutputFile| collected.lock().unwrap_or_else(|p| p.into_inner()).push(f);
    let mut partial = None;
    let mut removed = Vec::new();
    let mut result = Err(Failure::Setup(String::new()));
    if let Some(s) = session.as_mut()
        && !changed.is_empty()
    {
        match s.update(changed, &sink) {
            Ok(Update::Partial {
                rendered,
                removed: gone,
                copied,
                graph_kept,
            }) => {
                partial = Some((rendered, graph_kept));
                removed = gone;
                result = Ok((copied, Vec::new()));
            }
            Ok(Update::NeedsFull) => {}
            Err(e) => result = Err(e),
        }
    }
    if partial.is_none() && !matches!(result, Err(Failure::Invalid(_))) {
        // This build writes the search bundle itself: a background one still running is older.
        shared
            .search_generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        collected.lock().unwrap_or_else(|p| p.into_inner()).clear();
        result = match Session::start(options, &sink) {
            Ok((s, copies, warnings)) => {
                *session = Some(s);
                Ok((copies, warnings))
            }
            Err(e) => Err(e),
        };
    }
    match result {
        Ok((copies, warnings)) => {
            let files = collected.into_inner().unwrap_or_else(|p| p.into_inner());
            if !warnings.is_empty() {
                eprint!("{}", diagnostics::render(&warnings, Format::Human, false));
            }
            let version = {
                let mut snap = shared.snapshot.write().unwrap_or_else(|p| p.into_inner());
                if partial.is_none() {
                    snap.files.clear();
                }
                for path in &removed {
                    snap.files.remove(path);
                }
                for (path, src) in copies {
                    snap.files.insert(path, Served::File(src));
                }
                for f in files {
                    snap.files.insert(f.path, Served::Bytes(Arc::new(f.bytes)));
                }
                snap.errors.clear();
                snap.version += 1;
                snap.version
            };
            let css_only = !changed.is_empty()
                && changed
                    .iter()
                    .all(|p| p.extension().is_some_and(|e| e == "css"));
            let _ = shared.events.send(if css_only {
                Signal::Css(version)
            } else {
                Signal::Reload(version)
            });
            Ok(partial.map_or(Rebuilt::Full, |(rendered, graph_kept)| {
                Rebuilt::Incremental {
                    rendered,
                    graph_kept,
                }
            }))
        }
        Err(Failure::Invalid(diags)) => {
            // The session may hold half of a broken edit: start over on the next change.
            *session = None;
            eprint!("{}", diagnostics::render(&diags, Format::Human, false));
            eprintln!("The last good site is still served; fix the errors above.");
            let payload = serde_json::to_string(&diags).unwrap_or_else(|_| "[]".into());
            shared
                .snapshot
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .errors = diags.clone();
            let _ = shared.events.send(Signal::Errors(payload));
            Err(Failure::Invalid(diags))
        }
        Err(e) => Err(e),
    }
}

/// How long a file must be quiet before its change is applied: one save fires several events
/// within a millisecond or two (truncate, write, close; or write a temporary file and rename it),
/// and they are applied as one. Part of every edit-to-reload latency.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet files.
const DEBOUNCE_TICK: Duration = Duration::from_millis(2);

/// Watches `root` (content, templates, static, themes, book.toml) and calls `on_change` once per
/// burst of events (a save often fires several), with the changed paths.
fn watch(
    root: &Path,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> notify::Result<
    notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
> {
    use notify::RecursiveMode;
    let ignored: Vec<PathBuf> = ["public", "target", ".git", "node_modules"]
        .iter()
        .map(|d| root.join(d))
        .collect();
    let root_owned = root.to_path_buf();
    let mut debouncer = notify_debouncer_full::new_debouncer(
        DEBOUNCE,
        Some(DEBOUNCE_TICK),
        move |result: notify_debouncer_full::DebounceEventResult| {
            let Ok(events) = result else { return };
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| !e.kind.is_access())
                .flat_map(|e| e.paths.iter().cloned())
                .filter(|p| !ignored.iter().any(|i| p.starts_with(i)))
                .filter(|p| relevant(&root_owned, p))
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                on_change(paths);
            }
        },
    )?;
    for entry in ["content", "templates", "static", "themes"] {
        let dir = root.join(entry);
        if dir.is_dir() {
            debouncer.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    debouncer.watch(
        root.join(crate::config::CONFIG_FILE),
        RecursiveMode::NonRecursive,
    )?;
    Ok(debouncer)
}

/// Editors write swap and backup files; they never change the site.
fn relevant(root: &Path, path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = name.starts_with(".#")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913";
    !temp && path.starts_with(root)
}

async fn sse(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, std::convert::Infallible>>> {
    let rx = shared.events.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(signal) => {
                    let event = match signal {
                        Signal::Reload(v) => Event::default().event("reload").data(v.to_string()),
                        Signal::Css(v) => Event::default().event("css").data(v.to_string()),
                        Signal::Errors(json) => Event::default().event("errors").data(json),
                    };
                    return Some((Ok(event), rx));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Maps a request path to a key of the in-memory site, refusing anything that could escape it.
pub fn resolve_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s if s.contains(':') => return None,
            s => parts.push(s),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if decoded.ends_with('/') && path != "/" {
        path.push('/');
    }
    Some(path)
}

/// Decodes %XX once; a `%` that is not followed by two hex digits is refused, and so is a
/// result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let well_formed = s.match_indices('%').all(|(i, _)| {
        s.get(i + 1..i + 3)
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// The Content-Type of a served file, from its extension (text types in UTF-8).
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || mime.subtype() == mime_guess::mime::XML
        || mime.subtype() == mime_guess::mime::JAVASCRIPT;
    if text {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    }
}

fn response(status: StatusCode, ctype: &str, body: Vec<u8>) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(ctype)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: axum::http::HeaderMap,
) -> Response<Body> {
    let Some(path) = resolve_path(uri.path()) else {
        return response(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            b"Bad request path\n".to_vec(),
        );
    };
    let (found, errors) = {
        let snap = shared.snapshot.read().unwrap_or_else(|p| p.into_inner());
        let lookup = |p: &str| snap.files.get(p).cloned().map(|f| (p.to_string(), f));
        let found = if path.ends_with('/') {
            lookup(&format!("{path}index.html"))
        } else {
            lookup(&path).or_else(|| {
                // `/tools/kubeadm` → redirect to `/tools/kubeadm/` when that page exists.
                snap.files
                    .contains_key(&format!("{path}/index.html"))
                    .then(|| (format!("{path}/"), Served::Bytes(Arc::new(Vec::new()))))
            })
        };
        let not_found = snap.files.get("/404.html").cloned();
        (found.map(Ok).unwrap_or(Err(not_found)), snap.errors.clone())
    };
    match found {
        Ok((p, _)) if p.ends_with('/') && !path.ends_with('/') => {
            let mut r = response(
                StatusCode::MOVED_PERMANENTLY,
                "text/plain; charset=utf-8",
                Vec::new(),
            );
            if let Ok(v) = HeaderValue::from_str(&p) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Ok((p, served)) => {
            let Some(bytes) = read(&served) else {
                return response(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "text/plain; charset=utf-8",
                    b"cannot read file\n".to_vec(),
                );
            };
            let ctype = content_type(&p);
            if ctype.starts_with("text/html") {
                response(StatusCode::OK, &ctype, inject(&bytes, &errors))
            } else {
                let range = headers
                    .get(header::RANGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| byte_range(v, bytes.len()));
                ranged(&ctype, bytes, range)
            }
        }
        Err(not_found) => {
            let body = not_found.and_then(|s| read(&s)).unwrap_or_else(|| {
                b"<!doctype html><title>Not found</title><h1>Not found</h1>".to_vec()
            });
            response(
                StatusCode::NOT_FOUND,
                "text/html; charset=utf-8",
                inject(&body, &errors),
            )
        }
    }
}

/// The bytes a `Range` header asks of a body of `len` bytes: one range (`bytes=a-b`, `a-` or
/// `-n`) that starts within it, or `None` for the whole body: no range, several, or one that
/// cannot be met (a server may always answer in full). The search client fetches a passage
/// block out of its pack this way, as it does from a static host.
pub fn byte_range(header: &str, len: usize) -> Option<std::ops::Range<usize>> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    // Digits only (no sign), as large as they come: an end past the body means its end.
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u128>().unwrap_or(u128::MAX))
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
    };
    let range = if first.is_empty() {
        let n = number(last)?;
        len - n.min(len)..len
    } else {
        let start = number(first)?;
        let end = if last.is_empty() {
            len
        } else {
            number(last)?.saturating_add(1).min(len)
        };
        start..end
    };
    (range.start < range.end).then_some(range)
}

/// A file's response: the whole of it, or the part `range` asks for (206).
fn ranged(
    ctype: &str,
    mut bytes: Vec<u8>,
    range: Option<std::ops::Range<usize>>,
) -> Response<Body> {
    let len = bytes.len();
    let mut r = match range.filter(|r| r.end <= len) {
        Some(span) => {
            // The file was read into its own buffer: cut it down to the part, no second copy.
            bytes.truncate(span.end);
            bytes.drain(..span.start);
            let mut r = response(StatusCode::PARTIAL_CONTENT, ctype, bytes);
            let value = format!("bytes {}-{}/{len}", span.start, span.end - 1);
            if let Ok(v) = HeaderValue::from_str(&value) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            r
        }
        None => response(StatusCode::OK, ctype, bytes),
    };
    r.headers_mut()
        .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    r
}

fn read(served: &Served) -> Option<Vec<u8>> {
    match served {
        Served::Bytes(b) => Some(b.as_ref().clone()),
        Served::File(f) => f.read().ok().map(|c| c.into_owned()),
    }
}

/// The live-reload client: reloads on `reload`, swaps stylesheets on `css`, shows and clears the
/// error overlay. Only ever added by `serve`, never by `build`.
const CLIENT: &str = r#"<script>(function(){
var overlay=null;
function show(list){hide();if(!list||!list.length)return;overlay=document.createElement('div');overlay.id='opsbook-errors';
overlay.setAttribute('role','alert');overlay.style.cssText='position:fixed;inset:0;z-index:2147483647;background:rgba(20,0,0,.92);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;overflow:auto';
var h=document.createElement('h2');h.textContent='opsbook: the site has errors (the last good version is shown underneath)';overlay.appendChild(h);
list.forEach(function(d){var p=document.createElement('pre');p.style.whiteSpace='pre-wrap';
p.textContent=d.file+':'+d.line+':'+d.column+'  '+d.severity+'['+d.code+']: '+d.message+(d.help?'\n  help: '+d.help:'');overlay.appendChild(p);});
document.body.appendChild(overlay);}
function hide(){if(overlay){overlay.remove();overlay=null;}}
show(__OPSBOOK_ERRORS__);
var es=new EventSource('/__opsbook/events');
es.addEventListener('reload',function(){location.reload();});
es.addEventListener('errors',function(e){try{show(JSON.parse(e.data));}catch(_){}});
es.addEventListener('css',function(){hide();document.querySelectorAll('link[rel=stylesheet]').forEach(function(l){var u=new URL(l.href);u.searchParams.set('v',Date.now());l.href=u.toString();});});
})();</script>"#;

fn inject(html: &[u8], errors: &[Diagnostic]) -> Vec<u8> {
    let json = serde_json::to_string(errors)
        .unwrap_or_else(|_| "[]".into())
        .replace("</", "<\\/");
    let script = CLIENT.replace("__OPSBOOK_ERRORS__", &json);
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{}{}", &text[..i], script, &text[i..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

/// The address the server would print for `addr` (used by tests).
pub fn display_url(addr: SocketAddr) -> String {
    format!("http://{addr}/")
}

#[cfg(test)]
mod tests {

    #[test]
    fn one_byte_range_is_met_and_anything_else_answered_in_full() {
        let cases: [(&str, Option<std::ops::Range<usize>>); 15] = [
            ("bytes=3-99999999999999999999999999", Some(3..10)),
            ("bytes=+5-9", None),
            ("bytes=5--9", None),
            ("bytes=0-4", Some(0..5)),
            ("bytes=5-", Some(5..10)),
            ("bytes=-3", Some(7..10)),
            ("bytes=-20", Some(0..10)),
            ("bytes=8-20", Some(8..10)),
            (" bytes= 2 - 3 ", Some(2..4)),
            ("bytes=10-12", None),
            ("bytes=5-2", None),
            ("bytes=-0", None),
            ("bytes=0-1,3-4", None),
            ("items=0-1", None),
            ("bytes=x-1", None),
        ];
        for (header, want) in cases {
            assert_eq!(super::byte_range(header, 10), want, "{header:?}");
        }
    }

    #[test]
    fn content_types_come_from_mime_guess() {
        assert_eq!(content_type("/a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("/style.css"), "text/css; charset=utf-8");
        assert!(content_type("/search.js").ends_with("javascript; charset=utf-8"));
        assert_eq!(content_type("/api/tools.json"), "application/json");
        assert_eq!(content_type("/diagram.svg"), "image/svg+xml");
        assert_eq!(content_type("/surveys/2026.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("/blob"), "application/octet-stream");
        assert_eq!(percent_decode("/a%20b"), Some("/a b".into()));
        assert_eq!(percent_decode("/a%zz"), None);
        assert_eq!(percent_decode("/a%"), None);
    }
    use super::*;

    #[test]
    fn request_paths_cannot_escape() {
        assert_eq!(
            resolve_path("/tools/kubeadm/").as_deref(),
            Some("/tools/kubeadm/")
        );
        assert_eq!(resolve_path("/style.css").as_deref(), Some("/style.css"));
        assert_eq!(resolve_path("/a/%20b").as_deref(), Some("/a/ b"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2e%2e/%2e%2e/x",
            "/a%2f..%2f..%2fx",
            "/a\\..\\x",
            "/%5c..%5cx",
            "/%",
            "/%zz",
            "/a/%00",
            "/C:/x",
        ] {
            assert_eq!(resolve_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_goes_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", &[]))
            .unwrap_or_default();
        assert!(out.contains("<p>x</p><script>") && out.ends_with("</script></body></html>"));
        assert!(out.contains("show([]);"));
    }
}
