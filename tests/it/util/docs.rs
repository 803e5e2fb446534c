//! The example sessions shown in the documentation, read from a page so
//! that tests can run them; how they are run and compared is the tests'
//! business.

/// Every ```text block of `page` that starts with `$ quotecheck …`: the
/// command's arguments and the output shown below it.
pub fn sessions(page: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for block in page.split("```text\n").skip(1) {
        let block = &block[..block.find("```").unwrap()];
        if let Some(rest) = block.strip_prefix("$ quotecheck ") {
            let (command, output) = rest.split_once('\n').unwrap();
            out.push((command.to_string(), output.to_string()));
        }
    }
    out
}
