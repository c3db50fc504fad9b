//! Build-time syntax highlighting of fenced code. The most common languages of operators'
//! pages (bash, YAML, JSON, Go, Python, Rust) go through tree-sitter, about four times faster
//! than TextMate grammars, and so do terminal transcripts (`console`), prompt-aware: only the
//! command after a `$ ` or `# ` prompt is bash, output lines stay plain text. Every other
//! language goes through giallo (VS Code grammars). Both write CSS classes, so one stylesheet
//! ([`stylesheet`]) serves light and dark.

use std::cell::{OnceCell, RefCell};
use std::sync::OnceLock;

use tree_sitter_highlight::{HighlightConfiguration, Highlighter, HtmlRenderer as TsRenderer};

use giallo::{HighlightOptions, HtmlRenderer, Registry, RenderOptions, ThemeVariant};

const PREFIX: &str = "g-";

thread_local! {
    /// One registry per thread: giallo guards each compiled pattern set with a mutex, so
    /// threads sharing a registry serialize on it (two threads ran slower than one). Loading
    /// costs ~60 ms per thread, once.
    static REGISTRY: OnceCell<Option<Registry>> = const { OnceCell::new() };
}

fn with_registry<T>(f: impl FnOnce(&Registry) -> Option<T>) -> Option<T> {
    REGISTRY.with(|cell| {
        cell.get_or_init(|| {
            let mut r = Registry::builtin().ok()?;
            r.link_grammars();
            Some(r)
        })
        .as_ref()
        .and_then(f)
    })
}

/// Themes used for light and dark.
#[derive(Debug, Clone)]
pub struct Themes {
    pub light: String,
    pub dark: String,
}

/// Highlighted HTML for `code` in `lang`, or None when the language is unknown (the caller
/// then writes a plain escaped block).
pub fn highlight(code: &str, lang: &str, themes: &Themes) -> Option<String> {
    let lang = lang.to_ascii_lowercase();
    if console::is_console(&lang) {
        return console::highlight(code);
    }
    if let Some(html) = fast::highlight(code, &lang) {
        return Some(html);
    }
    with_registry(|registry| highlight_with(registry, code, &lang, themes))
}

/// The tree-sitter path: grammars compiled into the binary, one highlighter per thread.
mod fast {
    use super::*;

    /// Highlight names the queries may use, in the order of [`CLASSES`].
    const NAMES: &[&str] = &[
        "attribute",
        "boolean",
        "comment",
        "constant",
        "constant.builtin",
        "constructor",
        "escape",
        "function",
        "function.builtin",
        "function.macro",
        "function.method",
        "keyword",
        "label",
        "number",
        "operator",
        "property",
        "punctuation",
        "punctuation.bracket",
        "punctuation.delimiter",
        "punctuation.special",
        "string",
        "string.special",
        "tag",
        "type",
        "type.builtin",
        "variable",
        "variable.builtin",
        "variable.parameter",
    ];

    /// The class attribute written for each name (`ts-function-builtin`).
    fn classes() -> &'static [String] {
        static CLASSES: OnceLock<Vec<String>> = OnceLock::new();
        CLASSES.get_or_init(|| {
            NAMES
                .iter()
                .map(|n| format!("class=\"ts-{}\"", n.replace('.', "-")))
                .collect()
        })
    }

    /// A grammar and its highlight query.
    pub(super) type Grammar = fn() -> (tree_sitter::Language, &'static str);

    /// The grammars by name.
    pub(super) const GRAMMARS: [(&str, Grammar); 6] = [
        ("bash", || {
            (
                tree_sitter_bash::LANGUAGE.into(),
                tree_sitter_bash::HIGHLIGHT_QUERY,
            )
        }),
        ("yaml", || {
            (
                tree_sitter_yaml::LANGUAGE.into(),
                tree_sitter_yaml::HIGHLIGHTS_QUERY,
            )
        }),
        ("json", || {
            (
                tree_sitter_json::LANGUAGE.into(),
                tree_sitter_json::HIGHLIGHTS_QUERY,
            )
        }),
        ("go", || {
            (
                tree_sitter_go::LANGUAGE.into(),
                tree_sitter_go::HIGHLIGHTS_QUERY,
            )
        }),
        ("python", || {
            (
                tree_sitter_python::LANGUAGE.into(),
                tree_sitter_python::HIGHLIGHTS_QUERY,
            )
        }),
        ("rust", || {
            (
                tree_sitter_rust::LANGUAGE.into(),
                tree_sitter_rust::HIGHLIGHTS_QUERY,
            )
        }),
    ];

    /// The configuration of grammar `name`, its query compiled when a block first needs it:
    /// compiling all six took 33 ms of a build's CPU, with the other threads waiting for it,
    /// whatever languages the site's pages use. `None` for an unknown grammar, or one whose
    /// query does not load (left to giallo).
    fn config(name: &str) -> Option<&'static HighlightConfiguration> {
        static CONFIGS: [OnceLock<Option<HighlightConfiguration>>; GRAMMARS.len()] =
            [const { OnceLock::new() }; GRAMMARS.len()];
        let at = GRAMMARS.iter().position(|(n, _)| *n == name)?;
        let (_, grammar) = GRAMMARS.get(at)?;
        CONFIGS
            .get(at)?
            .get_or_init(|| {
                let (language, query) = grammar();
                let mut config = HighlightConfiguration::new(language, name, query, "", "").ok()?;
                config.configure(NAMES);
                Some(config)
            })
            .as_ref()
    }

    /// The grammar for a fence's language name, with the usual aliases.
    fn grammar(lang: &str) -> Option<&'static str> {
        Some(match lang {
            "bash" | "sh" | "shell" | "shellscript" | "zsh" => "bash",
            "yaml" | "yml" => "yaml",
            "json" => "json",
            "go" | "golang" => "go",
            "python" | "py" | "python3" => "python",
            "rust" | "rs" => "rust",
            _ => return None,
        })
    }

    thread_local! {
        static HIGHLIGHTER: RefCell<(Highlighter, TsRenderer)> =
            RefCell::new((Highlighter::new(), TsRenderer::new()));
    }

    pub(super) fn highlight(code: &str, lang: &str) -> Option<String> {
        let name = grammar(lang)?;
        let body = with_rendered(name, code, |html| html.to_string())?;
        Some(format!(
            "<pre class=\"giallo g-l-code g-d-code ts\"><code data-lang=\"{name}\">{body}</code></pre>\n"
        ))
    }

    /// Highlights `code` with the grammar `name` and hands the HTML of its spans (one line of
    /// HTML per line of code, every span closed before each newline) to `f`.
    pub(super) fn with_rendered<T>(name: &str, code: &str, f: impl FnOnce(&str) -> T) -> Option<T> {
        let config = config(name)?;
        let classes = classes();
        HIGHLIGHTER.with(|cell| {
            let mut guard = cell.try_borrow_mut().ok()?;
            let (highlighter, renderer) = &mut *guard;
            let events = highlighter
                .highlight(config, code.as_bytes(), None, |_| None)
                .ok()?;
            renderer.reset();
            renderer
                .render(events, code.as_bytes(), &|h, out: &mut Vec<u8>| {
                    if let Some(class) = classes.get(h.0) {
                        out.extend_from_slice(class.as_bytes());
                    }
                })
                .ok()?;
            std::str::from_utf8(&renderer.html).ok().map(f)
        })
    }

    /// Colours of the tree-sitter classes: GitHub's light and dark palettes, the same as the
    /// default giallo themes.
    pub(super) const STYLESHEET: &str = "
.ts-keyword, .ts-operator, .ts-function-macro { color: #D73A49; }
.ts-string, .ts-string-special { color: #032F62; }
.ts-comment { color: #6A737D; font-style: italic; }
.ts-number, .ts-boolean, .ts-constant, .ts-constant-builtin, .ts-property, .ts-variable-builtin { color: #005CC5; }
.ts-function, .ts-function-builtin, .ts-function-method, .ts-type, .ts-type-builtin, .ts-constructor, .ts-attribute { color: #6F42C1; }
.ts-tag, .ts-escape, .ts-label { color: #22863A; }
.ts-variable-parameter { color: #E36209; }
.ts-prompt { color: #6A737D; user-select: none; -webkit-user-select: none; }
@media (prefers-color-scheme: dark) {
.ts-keyword, .ts-operator, .ts-function-macro { color: #F97583; }
.ts-string, .ts-string-special { color: #9ECBFF; }
.ts-comment { color: #8B949E; }
.ts-number, .ts-boolean, .ts-constant, .ts-constant-builtin, .ts-property, .ts-variable-builtin { color: #79B8FF; }
.ts-function, .ts-function-builtin, .ts-function-method, .ts-type, .ts-type-builtin, .ts-constructor, .ts-attribute { color: #B392F0; }
.ts-tag, .ts-escape, .ts-label { color: #85E89D; }
.ts-variable-parameter { color: #FFAB70; }
.ts-prompt { color: #8B949E; }
}
";
}

/// Terminal transcripts: a line starting with a `$ ` or `# ` prompt holds a command (and so
/// does every line after one ending in `\`); every other line is the command's output.
mod console {
    use pulldown_cmark_escape::escape_html_body_text;

    /// Fence names of a transcript.
    pub(super) fn is_console(lang: &str) -> bool {
        matches!(
            lang,
            "console" | "shell-session" | "shellsession" | "sh-session"
        )
    }

    enum Line<'a> {
        /// A command line: its prompt (empty on a continuation line) and the command.
        Command(&'a str),
        Output(&'a str),
    }

    /// The prompt a line starts with (`$ `, `# `, or a bare `$`), and the command after it.
    fn split_prompt(line: &str) -> Option<(&str, &str)> {
        if line == "$" {
            return Some((line, ""));
        }
        ["$ ", "# "]
            .iter()
            .find(|p| line.starts_with(*p))
            .and_then(|p| Some((line.get(..p.len())?, line.get(p.len()..)?)))
    }

    /// The block as HTML: prompts in `ts-prompt` spans (not selected when a reader copies),
    /// commands highlighted as bash, output escaped as it is. None only if the bash grammar
    /// is missing.
    pub(super) fn highlight(code: &str) -> Option<String> {
        let mut lines: Vec<Line> = Vec::new();
        let mut script = String::with_capacity(code.len());
        let mut continued = false;
        for line in code.lines() {
            let command = if continued {
                Some(("", line))
            } else {
                split_prompt(line)
            };
            match command {
                Some((prompt, command)) => {
                    lines.push(Line::Command(prompt));
                    script.push_str(command);
                    script.push('\n');
                    continued = command.trim_end().ends_with('\\');
                }
                None => lines.push(Line::Output(line)),
            }
        }
        let mut html = String::with_capacity(code.len() * 2 + 96);
        html.push_str("<pre class=\"giallo g-l-code g-d-code ts\"><code data-lang=\"console\">");
        super::fast::with_rendered("bash", &script, |commands| {
            let mut commands = commands.split_inclusive('\n');
            for line in &lines {
                match line {
                    Line::Command(prompt) => {
                        if !prompt.is_empty() {
                            html.push_str("<span class=\"ts-prompt\">");
                            let _ = escape_html_body_text(&mut html, prompt);
                            html.push_str("</span>");
                        }
                        html.push_str(commands.next().unwrap_or("\n"));
                    }
                    Line::Output(text) => {
                        let _ = escape_html_body_text(&mut html, text);
                        html.push('\n');
                    }
                }
            }
        })?;
        html.push_str("</code></pre>\n");
        Some(html)
    }
}

fn highlight_with(registry: &Registry, code: &str, lang: &str, themes: &Themes) -> Option<String> {
    if !registry.contains_grammar(lang) {
        return None;
    }
    let options = HighlightOptions::new(
        lang,
        ThemeVariant::Dual {
            light: themes.light.as_str(),
            dark: themes.dark.as_str(),
        },
    );
    let highlighted = registry.highlight(code, &options).ok()?;
    let renderer = HtmlRenderer {
        css_class_prefix: Some(PREFIX.to_string()),
        ..Default::default()
    };
    Some(renderer.render(&highlighted, &RenderOptions::default()))
}

/// The stylesheet for highlighted code: light rules, dark rules under
/// `prefers-color-scheme: dark`.
pub fn stylesheet(themes: &Themes) -> String {
    with_registry(|registry| registry.generate_dual_css(&themes.light, &themes.dark, PREFIX).ok())
        .map(|(light, dark)| {
            format!(
            "/* generated by opsbook: code highlighting ({} / {}) */\n{}\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n{}",
            themes.light,
            themes.dark,
            giallo::GIALLO_CSS,
            fast::STYLESHEET
            )
        })
        .unwrap_or_default()
}

/// Whether a theme name exists (for config checks).
pub fn has_theme(name: &str) -> bool {
    with_registry(|r| Some(r.contains_theme(name))).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes() -> Themes {
        Themes {
            light: "github-light".into(),
            dark: "github-dark".into(),
        }
    }

    #[test]
    fn common_languages_use_tree_sitter_and_escape_text() {
        let html = highlight("kind: Node\nname: \"<script>\"\n", "YML", &themes()).unwrap();
        assert!(html.contains("data-lang=\"yaml\""), "{html}");
        assert!(html.contains("class=\"ts-property\""), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        let html = highlight("echo $HOME # home\n", "sh", &themes()).unwrap();
        assert!(html.contains("class=\"ts-comment\""), "{html}");
    }

    #[test]
    fn every_tree_sitter_grammar_loads_when_first_asked_for() {
        let samples = [
            ("bash", "ls -la /tmp\n"),
            ("yaml", "kind: Pod\n"),
            ("json", "{\"kind\": \"Pod\"}\n"),
            ("go", "func main() {}\n"),
            ("python", "def main():\n    pass\n"),
            ("rust", "fn main() {}\n"),
        ];
        assert_eq!(samples.len(), fast::GRAMMARS.len());
        for (lang, code) in samples {
            let html = highlight(code, lang, &themes()).unwrap();
            assert!(html.contains(&format!("data-lang=\"{lang}\"")), "{html}");
            assert!(html.contains("class=\"ts-"), "{lang}: {html}");
        }
    }

    #[test]
    fn other_languages_use_giallo_and_unknown_ones_none() {
        let html = highlight("[book]\ntitle = \"x\"\n", "toml", &themes()).unwrap();
        assert!(!html.contains("ts-"), "{html}");
        assert!(html.contains("g-l-"), "{html}");
        assert!(highlight("anything", "no-such-language", &themes()).is_none());
        assert!(stylesheet(&themes()).contains(".ts-keyword"));
    }

    #[test]
    fn console_highlights_commands_only() {
        let code = "$ kubectl get pods -n kube-system\nNAME   READY   <none>\n# systemctl restart kubelet\n$ kubectl create deployment web \\\n    --image=nginx:1.27\ndeployment.apps/web created\n";
        let html = highlight(code, "console", &themes()).unwrap();
        assert!(html.contains("data-lang=\"console\""), "{html}");
        let lines: Vec<&str> = html.lines().collect();
        assert_eq!(lines.len(), 7, "{html}");
        // Prompts are marked, commands carry highlight spans, output lines are plain text.
        assert!(
            lines[0].contains(
                "<span class=\"ts-prompt\">$ </span><span class=\"ts-function\">kubectl</span>"
            ),
            "{html}"
        );
        assert_eq!(lines[1], "NAME   READY   &lt;none&gt;");
        assert!(
            lines[2].starts_with(
                "<span class=\"ts-prompt\"># </span><span class=\"ts-function\">systemctl"
            ),
            "{html}"
        );
        assert!(
            lines[4].contains("class=\"ts-"),
            "a continuation line is command: {html}"
        );
        assert!(!lines[4].contains("ts-prompt"), "{html}");
        assert_eq!(lines[5], "deployment.apps/web created");
        assert_eq!(lines[6], "</code></pre>");
        assert!(stylesheet(&themes()).contains(".ts-prompt { color: #6A737D; user-select: none;"));
    }
}
