/**
 * The namespace tree of the resources (`Issuing.Cards`,
 * `V2.Core.Accounts.Persons`), its barrels and the public entry modules.
 *
 * @since 0.2.0
 */
import { qualifiedName, type Resource, resourcePath } from "./layout.js"
import { SINCE } from "./objects.js"
import { compare, jsdoc } from "./text.js"

/**
 * A node of the namespace tree: a resource, a namespace, or both.
 *
 * @since 0.2.0
 */
export interface Node {
  readonly path: ReadonlyArray<string>
  readonly children: Map<string, Node>
  resource: Resource | undefined
}

/**
 * The namespace tree of a list of resources.
 *
 * @since 0.2.0
 */
export const tree = (resources: ReadonlyArray<Resource>): Node => {
  const root: Node = { path: [], children: new Map(), resource: undefined }
  for (const r of resources) {
    let node = root
    for (const seg of [...r.namespace, r.name]) {
      let next = node.children.get(seg)
      if (next === undefined) {
        next = { path: [...node.path, seg], children: new Map(), resource: undefined }
        node.children.set(seg, next)
      }
      node = next
    }
    node.resource = r
  }
  return root
}

/**
 * The file that holds a node's module: a resource's operations module, or a
 * namespace barrel.
 *
 * @since 0.2.0
 */
export const nodeFile = (node: Node): string =>
  node.resource !== undefined
    ? `resources/${resourcePath(node.resource)}.ts`
    : `namespaces/${node.path.join("/")}.ts`

/**
 * The children of a node, sorted.
 *
 * @since 0.2.0
 */
export const childrenOf = (node: Node): ReadonlyArray<Node> =>
  [...node.children.keys()].sort(compare).map((k) => node.children.get(k)!)

/**
 * Every node below `node`, depth first.
 *
 * @since 0.2.0
 */
export const descendants = (node: Node): ReadonlyArray<Node> => childrenOf(node).flatMap((c) => [c, ...descendants(c)])

const describe = (node: Node): string => {
  const subs = childrenOf(node).map((c) => `\`${c.path[c.path.length - 1]}\``)
  return node.resource !== undefined
    ? `Stripe \`${qualifiedName(node.resource)}\`.`
    : `Stripe \`${node.path.join(".")}\`: ${subs.join(", ")}.`
}

/**
 * `export * as Child from "..."` lines of a node's children, relative to `from`.
 *
 * @since 0.2.0
 */
export const childExports = (node: Node, from: string, relative: (from: string, to: string) => string): string =>
  childrenOf(node).map((c) =>
    jsdoc([describe(c), "", SINCE]) + `export * as ${c.path[c.path.length - 1]} from "${relative(from, nodeFile(c))}"\n`
  ).join("\n")

/**
 * The text of a namespace barrel (a node without a resource).
 *
 * @since 0.2.0
 */
export const namespaceBarrel = (
  node: Node,
  header: string,
  relative: (from: string, to: string) => string
): string => {
  const file = nodeFile(node)
  return `${header}${jsdoc([describe(node), "", SINCE])}\n${childExports(node, file, relative)}`
}

/**
 * The public entry of a top-level name, `src/<Name>.ts` beside the generated
 * tree (the package exports every top-level module of `src/`): one
 * re-export of the node's module, under the generated header.
 *
 * @since 0.2.0
 */
export const entryShim = (node: Node, header: string): string =>
  `${header}${jsdoc([describe(node), "", SINCE])}export * from "./generated/${
    nodeFile(node).replace(/\.ts$/, ".js")
  }"\n`

/**
 * The root barrel (`index.ts`): every top-level name as a namespace.
 *
 * @since 0.2.0
 */
export const rootBarrel = (root: Node, header: string): string =>
  `${header}${jsdoc(["Every Stripe resource and namespace of this API version.", "", SINCE])}\n` +
  childrenOf(root).map((c) =>
    jsdoc([describe(c), "", SINCE]) + `export * as ${c.path[0]} from "./${nodeFile(c).replace(/\.ts$/, ".js")}"\n`
  ).join("\n")
