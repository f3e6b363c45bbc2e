pub mod check;
pub mod options;
pub mod report;
pub mod rules;
