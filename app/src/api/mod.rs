//! Every server function, one file per area. Each is thin: read the actor, parse the input,
//! call one service or store function, return `Result<T, AppError>`.

pub mod catalog;
pub mod records;
pub mod session;
