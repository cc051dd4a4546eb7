fn main() {
    // The site's files are embedded (`assets.rs`); `scripts/build` copies a file there only
    // when its bytes changed, so an unchanged browser build does not rebuild the server.
    println!("cargo:rerun-if-changed=../target/embed");
}
