//! Helpers shared by the report tests: fixtures, and an XML reading of the HTML
//! report (well-formedness, text, attributes, and an outline of its structure).

#![allow(dead_code)]

use coachlint_report::{LoadOptions, Report};
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use std::path::{Path, PathBuf};

/// A fixture path relative to the repository root (the tests' working
/// directory), so paths in the output are the same on every machine.
pub fn fixture(name: &str) -> PathBuf {
    Path::new("tests/report_fixtures").join(name)
}

pub fn load(names: &[&str]) -> Report {
    let paths: Vec<PathBuf> = names.iter().map(|n| fixture(n)).collect();
    let r = Report::load(&paths, &LoadOptions::default()).expect("default options");
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    r
}

/// One element of the parsed page.
#[derive(Debug)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// The element's own text (entities resolved), without its children's.
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every element below this one, depth first.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element> = self.children.iter().rev().collect();
        while let Some(e) = stack.pop() {
            out.push(e);
            stack.extend(e.children.iter().rev());
        }
        out
    }

    /// All the text inside, children included.
    pub fn all_text(&self) -> String {
        let mut s = self.text.clone();
        for c in &self.children {
            s.push_str(&c.all_text());
        }
        s
    }

    pub fn find_id(&self, id: &str) -> Option<&Element> {
        self.descendants()
            .into_iter()
            .find(|e| e.attr("id") == Some(id))
    }
}

/// Parses the page as XML: end tags must match, attributes must be quoted and
/// unique, and only XML's own entities or numeric references may appear.
/// Returns the root element, or what is wrong and where.
pub fn parse_xml(page: &str) -> Result<Element, String> {
    let mut reader = quick_xml::Reader::from_str(page);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = true;
    let mut stack: Vec<Element> = vec![Element {
        name: "#document".into(),
        attrs: Vec::new(),
        children: Vec::new(),
        text: String::new(),
    }];
    let err = |reader: &quick_xml::Reader<&[u8]>, e: &dyn std::fmt::Display| {
        let pos = reader.buffer_position() as usize;
        let line = page[..pos.min(page.len())].matches('\n').count() + 1;
        format!("line {line}: {e}")
    };
    let element = |e: &quick_xml::events::BytesStart, reader: &quick_xml::Reader<&[u8]>| {
        let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
        let mut attrs = Vec::new();
        for a in e.attributes().with_checks(true) {
            let a = a.map_err(|x| err(reader, &x))?;
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_err(|x| err(reader, &x))?
                .into_owned();
            attrs.push((key, value));
        }
        Ok::<Element, String>(Element {
            name,
            attrs,
            children: Vec::new(),
            text: String::new(),
        })
    };
    loop {
        let ev = reader.read_event().map_err(|e| err(&reader, &e))?;
        match ev {
            Event::Start(e) => {
                let el = element(&e, &reader)?;
                stack.push(el);
            }
            Event::Empty(e) => {
                let el = element(&e, &reader)?;
                stack.last_mut().unwrap().children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().unwrap();
                let Some(parent) = stack.last_mut() else {
                    return Err(err(&reader, &"an end tag with no start"));
                };
                parent.children.push(el);
            }
            Event::Text(t) => {
                let s = t.xml10_content().map_err(|e| err(&reader, &e))?;
                stack.last_mut().unwrap().text.push_str(&s);
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| err(&reader, &e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| err(&reader, &e))?;
                        resolve_predefined_entity(&name)
                            .ok_or_else(|| err(&reader, &format!("unknown entity &{name};")))?
                            .to_owned()
                    }
                };
                stack.last_mut().unwrap().text.push_str(&c);
            }
            Event::CData(_) | Event::Comment(_) | Event::DocType(_) | Event::Decl(_) => {}
            Event::PI(_) => return Err(err(&reader, &"a processing instruction")),
            Event::Eof => break,
        }
    }
    if stack.len() != 1 {
        return Err(format!(
            "unclosed elements at the end: {}",
            stack[1..]
                .iter()
                .map(|e| e.name.as_str())
                .collect::<Vec<_>>()
                .join(" > ")
        ));
    }
    let doc = stack.pop().unwrap();
    let roots: Vec<&Element> = doc.children.iter().collect();
    if roots.len() != 1 || roots[0].name != "html" {
        return Err(format!(
            "expected one root <html>, found {:?}",
            roots.iter().map(|e| &e.name).collect::<Vec<_>>()
        ));
    }
    Ok(doc.children.into_iter().next().unwrap())
}

/// The structure of the page: one line per element with its id, class and
/// role, no text; runs of identical siblings are folded into one line with a
/// count, so a 40-turn timeline is one `rect ×40` line.
pub fn outline(root: &Element) -> String {
    fn line(e: &Element) -> String {
        let mut s = e.name.clone();
        for key in ["id", "class", "role", "aria-labelledby", "href"] {
            if let Some(v) = e.attr(key) {
                s.push_str(&format!(" {key}={v:?}"));
            }
        }
        s
    }
    fn render(e: &Element, depth: usize, out: &mut Vec<String>) {
        // Styles are not structure.
        if e.name == "style" {
            out.push(format!("{}style", "  ".repeat(depth)));
            return;
        }
        out.push(format!("{}{}", "  ".repeat(depth), line(e)));
        let mut kids: Vec<(Vec<String>, usize)> = Vec::new();
        for c in &e.children {
            let mut lines = Vec::new();
            render(c, depth + 1, &mut lines);
            match kids.last_mut() {
                Some((prev, n)) if *prev == lines => *n += 1,
                _ => kids.push((lines, 1)),
            }
        }
        for (mut lines, n) in kids {
            if n > 1 {
                lines[0].push_str(&format!(" ×{n}"));
            }
            out.extend(lines);
        }
    }
    let mut out = Vec::new();
    render(root, 0, &mut out);
    out.join("\n")
}
