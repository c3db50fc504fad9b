//! Output addresses: a generated file ([`OutputFile`]), how a site path becomes a link or an
//! absolute URL ([`Urls`]), and which file a URL is written to ([`file_of`]). A leaf module:
//! the graph, the plan, templates and emit all use it and it uses none of them.

use crate::config::Config;

/// A file of the output: site path (`/tools/kubeadm/index.html`) and its bytes.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// URL helpers shared by templates, feeds and the sitemap.
#[derive(Debug, Clone)]
pub struct Urls {
    /// "" or "/docs".
    pub base_path: String,
    /// "https://example.org/docs".
    pub base_url: String,
}

impl Urls {
    pub fn new(config: &Config) -> Urls {
        Urls {
            base_path: config.base_path(),
            base_url: config.base_url_trimmed().to_string(),
        }
    }
    /// Root-relative link for a site path.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path)
    }
    /// Absolute URL for a site path.
    pub fn absolute(&self, path: &str) -> String {
        let base = self
            .base_url
            .strip_suffix(&self.base_path)
            .unwrap_or(&self.base_url);
        format!("{}{}{}", base, self.base_path, path)
    }
}

/// The file a site path is written to: `/tools/x/` → `/tools/x/index.html`, `/atom.xml` as is.
pub fn file_of(path: &str) -> String {
    if path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Escapes text for XML content and attributes; drops control characters XML 1.0 forbids.
pub fn escape_xml(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    // Writing into a Vec cannot fail.
    let _ = write_escaped_xml(s, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

pub fn write_escaped_xml(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut buf = [0u8; 4];
    for c in s.chars() {
        match c {
            '&' => out.write_all(b"&amp;")?,
            '<' => out.write_all(b"&lt;")?,
            '>' => out.write_all(b"&gt;")?,
            '"' => out.write_all(b"&quot;")?,
            '\'' => out.write_all(b"&apos;")?,
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.write_all(c.encode_utf8(&mut buf).as_bytes())?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_get_an_index_file() {
        assert_eq!(file_of("/tools/x/"), "/tools/x/index.html");
        assert_eq!(file_of("/"), "/index.html");
        assert_eq!(file_of("/atom.xml"), "/atom.xml");
    }
}
