// Declarations of the ES module entry of `kopokopo/http` (lib/http.mjs).
export * from './http.js'
