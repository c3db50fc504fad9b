//! Entries' body HTML between the Markdown stage, which makes it, and the writing stage, which
//! writes each page once ([`crate::pipeline`]'s `Bodies::Held`). A site of up to
//! [`crate::pipeline::HOLD_BODIES_UP_TO`] bytes of Markdown holds it in memory; a bigger one
//! spills it to unnamed temporary files as it is made ([`Spill`], one file per thread) and reads
//! each page's back when it is written, so every body is rendered once at any size without the
//! process holding every page's HTML (at 100k pages, about 1 GB).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

use crate::site::PageId;

/// Where a spilled page's HTML lies: which file, offset and length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    file: u32,
    at: u64,
    len: u32,
}

/// One appending file, with how many bytes it holds.
type Writer = Mutex<(BufWriter<File>, u64)>;

/// The files the Markdown stage appends entries' HTML to: one for each of its threads, so that
/// no thread waits for another's write.
pub struct Spill {
    writers: Vec<Writer>,
}

impl Spill {
    /// Unnamed temporary files (deleted by the system when closed, even if the build is
    /// killed) in `dir`, the site's folder, or else the system's temporary folder: one for each
    /// thread of the current thread pool.
    pub fn new(dir: &Path) -> std::io::Result<Spill> {
        let writers = (0..rayon::current_num_threads().max(1))
            .map(|_| {
                let file = tempfile::tempfile_in(dir).or_else(|_| tempfile::tempfile())?;
                Ok(Mutex::new((BufWriter::with_capacity(1 << 20, file), 0)))
            })
            .collect::<std::io::Result<Vec<Writer>>>()?;
        Ok(Spill { writers })
    }

    /// Appends `html`; where it lies.
    pub fn put(&self, html: &str) -> std::io::Result<Span> {
        let len = u32::try_from(html.len()).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a page's HTML is over 4 GiB",
            )
        })?;
        let file = rayon::current_thread_index().unwrap_or(0) % self.writers.len().max(1);
        let writer = self
            .writers
            .get(file)
            .ok_or_else(|| std::io::Error::other("no spill file"))?;
        let mut writer = writer
            .lock()
            .map_err(|_| std::io::Error::other("a thread writing the spill file panicked"))?;
        let (out, end) = &mut *writer;
        out.write_all(html.as_bytes())?;
        let at = *end;
        *end += u64::from(len);
        Ok(Span {
            file: u32::try_from(file).unwrap_or(u32::MAX),
            at,
            len,
        })
    }

    /// The pages' HTML to read back: the files, written out, and each page's span as
    /// [`Spill::put`] gave it (`None` for a page that spilled nothing), in page order.
    pub fn into_held(self, spans: Vec<Option<std::io::Result<Span>>>) -> std::io::Result<Held> {
        let spans = spans
            .into_iter()
            .map(Option::transpose)
            .collect::<std::io::Result<Vec<Option<Span>>>>()?;
        let files = self
            .writers
            .into_iter()
            .map(|writer| {
                let (out, _) = writer.into_inner().map_err(|_| {
                    std::io::Error::other("a thread writing the spill file panicked")
                })?;
                let file = out.into_inner().map_err(|e| e.into_error())?;
                Ok(SpillFile::new(file))
            })
            .collect::<std::io::Result<Vec<SpillFile>>>()?;
        Ok(Held::Spilled { files, spans })
    }
}

/// Entries' HTML waiting for their pages to be written, by page.
pub enum Held {
    /// In memory; taken (and so freed) when the page is written.
    Memory(Vec<Mutex<String>>),
    /// In spill files, at each page's span.
    Spilled {
        files: Vec<SpillFile>,
        spans: Vec<Option<Span>>,
    },
}

/// The spill file, read back from every thread: by positional reads where the system has
/// them (no lock, no shared cursor), else one read at a time.
pub struct SpillFile {
    #[cfg(unix)]
    file: File,
    #[cfg(not(unix))]
    file: Mutex<File>,
}

impl SpillFile {
    fn new(file: File) -> SpillFile {
        SpillFile {
            #[cfg(unix)]
            file,
            #[cfg(not(unix))]
            file: Mutex::new(file),
        }
    }

    /// Fills `buf` from offset `at`.
    fn read_exact_at(&self, buf: &mut [u8], at: u64) -> std::io::Result<()> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            self.file.read_exact_at(buf, at)
        }
        #[cfg(not(unix))]
        {
            use std::io::{Read, Seek, SeekFrom};
            let mut file = self
                .file
                .lock()
                .map_err(|_| std::io::Error::other("a thread reading the spill file panicked"))?;
            file.seek(SeekFrom::Start(at))?;
            file.read_exact(buf)
        }
    }
}

impl Held {
    /// In memory: one HTML per page, in page order (empty for pages that hold none).
    pub fn memory(html: Vec<String>) -> Held {
        Held::Memory(html.into_iter().map(Mutex::new).collect())
    }

    /// Page `i`'s HTML. `Ok("")` for a page that holds none; an error when the spill file
    /// cannot be read back.
    pub fn take(&self, i: PageId) -> std::io::Result<String> {
        match self {
            Held::Memory(pages) => match pages.get(i.index()) {
                Some(html) => {
                    let mut html = html
                        .lock()
                        .map_err(|_| std::io::Error::other("a thread writing a page panicked"))?;
                    Ok(std::mem::take(&mut *html))
                }
                None => Ok(String::new()),
            },
            Held::Spilled { files, spans } => {
                let Some(Span { file, at, len }) = spans.get(i.index()).copied().flatten() else {
                    return Ok(String::new());
                };
                let file = files
                    .get(file as usize)
                    .ok_or_else(|| std::io::Error::other("a page's spill file is missing"))?;
                let mut bytes = vec![0; len as usize];
                file.read_exact_at(&mut bytes, at)?;
                String::from_utf8(bytes).map_err(|_| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "the spill file gave back bytes that are not the HTML written to it",
                    )
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_pages_read_back_as_written_in_any_order() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(dir.path()).unwrap();
        let pages = ["<p>first</p>", "", "<p>ünïcode – third</p>"];
        let spans: Vec<Option<std::io::Result<Span>>> = pages
            .iter()
            .map(|html| Some(spill.put(html)))
            .chain([None])
            .collect();
        let held = spill.into_held(spans).unwrap();
        // Nothing is left behind in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        for i in [2, 0, 1, 0] {
            assert_eq!(held.take(PageId::new(i)).unwrap(), pages[i]);
        }
        assert_eq!(held.take(PageId::new(3)).unwrap(), "");
        assert_eq!(held.take(PageId::new(9)).unwrap(), "");
    }

    #[test]
    fn pages_spilled_from_many_threads_read_back_as_written() {
        use rayon::prelude::*;
        let dir = tempfile::tempdir().unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let pages: Vec<String> = (0..500).map(|n| format!("<p>page {n}</p>")).collect();
        let held = pool.install(|| {
            let spill = Spill::new(dir.path()).unwrap();
            assert_eq!(spill.writers.len(), 4);
            let spans: Vec<_> = pages.par_iter().map(|html| Some(spill.put(html))).collect();
            spill.into_held(spans).unwrap()
        });
        let Held::Spilled { files, .. } = &held else {
            panic!("spilled");
        };
        assert_eq!(files.len(), 4);
        for (i, html) in pages.iter().enumerate().rev() {
            assert_eq!(&held.take(PageId::new(i)).unwrap(), html);
        }
    }

    #[test]
    fn a_failed_write_fails_the_whole_spill() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::new(dir.path()).unwrap();
        let spans = vec![
            Some(spill.put("<p>kept</p>")),
            Some(Err(std::io::Error::other("disk full"))),
        ];
        let Err(e) = spill.into_held(spans) else {
            panic!("a lost page must not pass unnoticed");
        };
        assert_eq!(e.to_string(), "disk full");
    }

    #[test]
    fn held_in_memory_is_taken_once() {
        let held = Held::memory(vec!["<p>a</p>".into(), String::new()]);
        assert_eq!(held.take(PageId::new(0)).unwrap(), "<p>a</p>");
        assert_eq!(held.take(PageId::new(0)).unwrap(), "");
        assert_eq!(held.take(PageId::new(1)).unwrap(), "");
    }
}
