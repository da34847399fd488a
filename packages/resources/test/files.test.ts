import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { sample } from "../../../scripts/codegen/src/sample.js"
import { Files, Invoices, Quotes } from "../src/index.js"
import { mockStripe, model } from "./support.js"

describe("files host", () => {
  it.effect("Files.create uploads multipart form data to the files host", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({ json: sample(model, "file") }))
      const file = yield* Files.create({
        file: new Blob(["%PDF-1.4"], { type: "application/pdf" }),
        purpose: "dispute_evidence",
        file_link_data: { create: true, metadata: { case: "42" } }
      }).pipe(Effect.provide(layer))
      expect(file.object).toBe("file")
      const request = recorded[0]!
      expect(request.url.href).toBe("http://files.test/v1/files")
      // Parse the multipart bytes back the way a server would.
      const form = yield* Effect.promise(() =>
        new Response(request.body, { headers: { "content-type": request.contentType ?? "" } }).formData()
      )
      expect(form.get("purpose")).toBe("dispute_evidence")
      expect(form.get("file_link_data[create]")).toBe("true")
      expect(form.get("file_link_data[metadata][case]")).toBe("42")
      const blob = form.get("file")
      expect(blob).toBeInstanceOf(Blob)
      if (blob instanceof Blob) expect(yield* Effect.promise(() => blob.text())).toBe("%PDF-1.4")
    }))

  it.effect("Quotes.pdf downloads bytes from the files host", () =>
    Effect.gen(function*() {
      const pdf = new TextEncoder().encode("%PDF-1.7 quote")
      const { layer, recorded } = mockStripe(() => ({ bytes: pdf }))
      const bytes = yield* Quotes.pdf("qt_1").pipe(Effect.provide(layer))
      expect(bytes).toEqual(pdf)
      expect(recorded[0]!.url.href).toBe("http://files.test/v1/quotes/qt_1/pdf")
      expect(recorded[0]!.method).toBe("GET")
    }))

  it.effect("Files list and retrieve stay on the API host", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({ json: sample(model, "file") }))
      yield* Files.retrieve("file_1").pipe(Effect.provide(layer))
      expect(recorded[0]!.url.href).toBe("http://api.test/v1/files/file_1")
    }))

  it.effect("actions named by a reserved word follow the stripe package (voidInvoice)", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({ json: sample(model, "invoice") }))
      const invoice = yield* Invoices.voidInvoice("in_1").pipe(Effect.provide(layer))
      expect(invoice.object).toBe("invoice")
      expect(recorded[0]!.url.pathname).toBe("/v1/invoices/in_1/void")
    }))
})
