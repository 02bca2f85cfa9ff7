// Declarations of the ES module entry of `kopokopo/express` (lib/express.mjs).
export * from './express.js'
import { kopokopo } from './express.js'
export default kopokopo
