//! Where a value sits in consent.json, like `vendors[2].lifetime`.

use crate::core::json;

/// A path, built a step at a time on the stack as the rules go down the
/// file, and written out only for a problem the full report lists: reading a
/// valid file, or checking one for a verdict only, writes no path.
#[derive(Clone, Copy)]
pub(super) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy)]
enum Step<'a> {
    Root,
    Key(&'a str),
    Item(usize),
}

impl Path<'static> {
    /// The whole file.
    pub(super) const ROOT: &'static Path<'static> = &Path { parent: None, step: Step::Root };
}

impl<'a> Path<'a> {
    /// The member `key` of the object here.
    pub(super) fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        Path { parent: Some(self), step: Step::Key(key) }
    }

    /// The item `index` of the list here.
    pub(super) fn item(&self, index: usize) -> Path<'_> {
        Path { parent: Some(self), step: Step::Item(index) }
    }

    /// The path as people read it, `vendors[2].lifetime`; the root is "".
    pub(super) fn written(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.write(out);
        }
        match self.step {
            Step::Root => {}
            Step::Key(key) => {
                // A key right under the root (or under an empty key there) has no dot.
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Item(index) => {
                out.push('[');
                json::push_int(out, i64::try_from(index).unwrap_or(i64::MAX));
                out.push(']');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_as_people_read_them() {
        let vendors = Path::ROOT.key("vendors");
        let entry = vendors.item(2);
        assert_eq!(Path::ROOT.written(), "");
        assert_eq!(entry.key("cookies").item(0).written(), "vendors[2].cookies[0]");
        assert_eq!(Path::ROOT.key("policy").key("url").key("lv").written(), "policy.url.lv");
    }
}
