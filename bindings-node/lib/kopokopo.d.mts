// Declarations of the ES module entry point (lib/kopokopo.mjs): the same API as the CommonJS entry.
export * from './kopokopo.js'
import * as kopokopo from './kopokopo.js'
export default kopokopo
