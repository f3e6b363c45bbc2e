fn main() {
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let a = coachlint_core::analyze(&text, &coachlint_core::Config::default()).unwrap();
    let r = coachlint_core::output::FileReport::new("x", &text, &a);
    println!("{}", serde_json::to_string_pretty(&r).unwrap());
}
