import { Errors } from "../errors";

/** A parameter tree as rebuilt from flattened RPC keys. */
export type ParamTree = string | ParamTree[] | { [key: string]: ParamTree };

interface Node {
  value?: string;
  children: Map<string, Node>;
}

const isIndex = (segment: string): boolean => /^\d+$/.test(segment);
const isWireIndex = (segment: string): boolean => /^[1-9]\d*$/.test(segment);

function materialize(node: Node): ParamTree {
  if (node.children.size === 0) return node.value ?? "";
  const keys = [...node.children.keys()];
  if (keys.every(isIndex)) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => materialize(node.children.get(k) as Node));
  }
  const out: { [key: string]: ParamTree } = {};
  for (const key of keys) out[key] = materialize(node.children.get(key) as Node);
  return out;
}

/**
 * The one un-flattening helper: turns `X.N`, `X.N.Field`, `X.N.Field.M` and `X.Field` keys back into lists and
 * objects (1-based indexes become list order; gaps are closed). When a key is sent both as a scalar and with
 * nested children, the nested form wins. An index of 0 or with leading zeros throws 400 InvalidParameter naming
 * the key: the SDK never writes one, and normalising `A.01` to `A.1` would silently drop one of two values sent
 * for the same item.
 */
export function unflatten(flat: Iterable<[string, string]>): { [key: string]: ParamTree } {
  const root: Node = { children: new Map() };
  for (const [key, value] of flat) {
    const segments = key.split(".");
    if (segments.slice(1).some((segment) => isIndex(segment) && !isWireIndex(segment))) {
      throw Errors.invalidParameter(key, "List indexes start at 1 and have no leading zeros.");
    }
    let node = root;
    for (const segment of segments) {
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.value = value;
  }
  const out: { [key: string]: ParamTree } = {};
  for (const [key, child] of root.children) out[key] = materialize(child);
  return out;
}
