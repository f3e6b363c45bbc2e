//! Session reports for supervisors and coaches: HTML, Markdown and JSON.
