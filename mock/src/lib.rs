//! k2 mock
