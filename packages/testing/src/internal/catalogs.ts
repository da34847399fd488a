/**
 * What every Stripe account can read without making it: the platform's
 * catalogs (country specs, exchange rates, tax codes, report types, Climate's
 * products and suppliers, Issuing's physical bundles). The emulator holds one
 * of each, with fixed ids, from its start (and after a reset); no id of the
 * seeded generator is spent on them.
 *
 * @internal
 */
import type { Engine } from "./engine.js"
import type { Obj } from "./json.js"

interface Seed {
  readonly type: string
  readonly id: string
  readonly fields: (now: number) => Obj
}

const seeds: ReadonlyArray<Seed> = [
  {
    type: "country_spec",
    id: "US",
    fields: () => ({
      default_currency: "usd",
      supported_bank_account_currencies: { usd: ["US"] },
      supported_payment_currencies: ["usd"],
      supported_payment_methods: ["card"],
      supported_transfer_countries: ["US"]
    })
  },
  { type: "exchange_rate", id: "usd", fields: () => ({ rates: { eur: 0.92, gbp: 0.79 } }) },
  {
    type: "tax_code",
    id: "txcd_99999999",
    fields: () => ({
      name: "General - Tangible Goods",
      description: "A physical good that can be moved or touched. Also known as tangible personal property."
    })
  },
  {
    type: "reporting.report_type",
    id: "balance.summary.1",
    fields: (now) => ({
      name: "Balance summary",
      data_available_start: now - 86400 * 365,
      data_available_end: now - 86400,
      default_columns: ["category", "description", "net_amount", "currency"],
      updated: now,
      version: 1
    })
  },
  {
    type: "climate.product",
    id: "climsku_frontier_offtake_portfolio_2027",
    fields: (now) => ({
      name: "Frontier's 2027 offtake portfolio",
      metric_tons_available: "10000",
      current_prices_per_metric_ton: { usd: { amount_fees: 1000, amount_subtotal: 59000, amount_total: 60000 } },
      delivery_year: 2027,
      created: now
    })
  },
  {
    type: "climate.supplier",
    id: "climsup_charm_industrial",
    fields: () => ({ name: "Charm Industrial", removal_pathway: "biomass_carbon_removal_and_storage" })
  },
  {
    type: "issuing.physical_bundle",
    id: "ics_emulator_standard",
    fields: () => ({ name: "Standard", status: "active", type: "standard" })
  }
]

/**
 * Puts the catalogs into a fresh store, in the shapes of the engine's default table.
 *
 * @internal
 */
export const seedCatalogs = (engine: Engine): void => {
  const now = engine.nowSeconds()
  for (const seed of seeds) {
    if (engine.spec.table.schemas[seed.type] === undefined) continue
    const obj = engine.spec.template(seed.type)
    obj.id = seed.id
    if (engine.spec.hasField(seed.type, "livemode")) obj.livemode = false
    for (const [k, v] of Object.entries(seed.fields(now))) if (engine.spec.hasField(seed.type, k)) obj[k] = v
    engine.put(seed.type, obj)
  }
}
