/**
 * The one module that reads the generated emulator tables. Everything else
 * gets a table from here, chosen per request by `Stripe-Version`: the shipped
 * API version's (the default) and the reference version's (stripe-mock's and
 * the OpenAPI spec's); adding a version is an import and an entry in `tables`.
 *
 * @internal
 */
import * as Reference from "../generated/spec-2024-04-10.js"
import type { OperationSpec } from "../generated/spec.js"
import * as Shipped from "../generated/spec.js"

/** @internal */
export type { OperationSpec }

/**
 * The data of one API version: its operations, the field codes of every
 * object (see `scripts/codegen/src/emulator.ts` for the code language) and
 * the event types it defines.
 *
 * @internal
 */
export interface SpecTable {
  readonly apiVersion: string
  readonly operations: ReadonlyArray<OperationSpec>
  readonly schemas: Readonly<Record<string, Readonly<Record<string, string>>>>
  readonly eventTypes: ReadonlyArray<string>
}

const table = (generated: SpecTable): SpecTable => ({
  apiVersion: generated.apiVersion,
  operations: generated.operations,
  schemas: generated.schemas,
  eventTypes: generated.eventTypes
})

/**
 * Every table the emulator carries, newest first.
 *
 * @internal
 */
export const tables: ReadonlyArray<SpecTable> = [table(Shipped), table(Reference)]

/**
 * The table of requests that name no version (and of versions the emulator
 * does not carry).
 *
 * @internal
 */
export const defaultTable: SpecTable = tables[0]

/**
 * The table for a `Stripe-Version` header value.
 *
 * @internal
 */
export const tableFor = (version: string | undefined): SpecTable =>
  version === undefined ? defaultTable : tables.find((t) => t.apiVersion === version) ?? defaultTable
