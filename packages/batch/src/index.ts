/**
 * @since 0.1.0
 */
export * as Batch from "./Batch.js"
/**
 * @since 0.1.0
 */
export * as BatchResult from "./BatchResult.js"
