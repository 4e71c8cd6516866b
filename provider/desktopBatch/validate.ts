/**
 * check(): every constraint of the schema and every cross-field rule, reported per property before any API
 * call. The per-property rules come from the schema; the cross-field rules are implemented in rules.ts under
 * the ids the schema declares. Each failure is one sentence that starts with the property's path and states
 * the rule; whatever the inputs hold (any type, any size, any depth), validation answers and never throws.
 */
import type { CheckFailure } from "./lifecycle";
import { hostnameTemplateProblem } from "./hostname";
import { parseDuration } from "./duration";
import {
  CROSS_FIELD_RULES,
  INPUTS,
  PropertyModel,
  PropertyType,
  REQUIRED_INPUTS,
  Validation,
} from "./schemaModel";
import { CROSS_FIELD_CHECKS, RuleContext } from "./rules";
import type { DesktopBatchInputs } from "./inputs";
import { PROVIDER_TAG_PREFIX } from "./identity";

/** pulumi-ecd:batch and every other tag the provider sets on its desktops. */
import { hostnamePhrase, named, shown } from "./show";

/** Pulumi's marker for a value not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isUnknown = (value: unknown): boolean => value === UNKNOWN;

/** Iterative, so that inputs nested thousands deep cannot overflow the stack. */
export function containsUnknown(value: unknown): boolean {
  const pending: unknown[] = [value];
  const seen = new Set<object>();
  while (pending.length) {
    const item = pending.pop();
    if (isUnknown(item)) return true;
    if (item && typeof item === "object" && !seen.has(item)) {
      seen.add(item);
      pending.push(...Object.values(item));
    }
  }
  return false;
}

const isMissing = (value: unknown): boolean => value === undefined || value === null || value === "";

const failure = (property: string, rule: string): CheckFailure => ({
  property,
  reason: `${named(property)} ${rule}`,
});

export function validateInputs(
  inputs: DesktopBatchInputs,
  context: RuleContext = { creating: true },
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const record = inputs as Record<string, unknown>;
  for (const name of REQUIRED_INPUTS) {
    if (isMissing(record[name])) failures.push(failure(name, "is required"));
  }
  const known = new Set(INPUTS.map((property) => property.name));
  for (const key of Object.keys(record)) {
    if (!known.has(key) && key !== "__provider")
      failures.push(failure(key, "is not an input of DesktopBatch"));
  }
  for (const property of INPUTS) {
    const value = record[property.name];
    if (value === undefined || value === null) continue;
    validateValue(property.name, value, property, failures);
  }
  if (failures.length === 0) {
    for (const rule of CROSS_FIELD_RULES) {
      const check = CROSS_FIELD_CHECKS[rule.id];
      if (!check) throw new Error(`schema rule ${rule.id} has no implementation`);
      if (rule.properties.some((name) => containsUnknown(record[name]))) continue;
      failures.push(...check(inputs, context));
    }
  }
  return failures;
}

function validateValue(
  path: string,
  value: unknown,
  property: PropertyModel,
  failures: CheckFailure[],
): void {
  if (isUnknown(value)) return;
  const shapeProblem = checkShape(path, value, property.shape, failures);
  if (shapeProblem) {
    failures.push(failure(path, shapeProblem));
    return;
  }
  const problem = constraintProblem(value, property.validate, property.shape);
  if (problem) failures.push(failure(path, problem));
}

/** "a number", "a list", "NaN": what a value of the wrong type is, for the message. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return String(value);
    return `${value}`;
  }
  if (typeof value === "string") return `the string ${shown(value)}`;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** Returns a problem with the value's type, or validates nested values (reporting them itself). */
function checkShape(
  path: string,
  value: unknown,
  shape: PropertyType,
  failures: CheckFailure[],
): string | undefined {
  switch (shape.type) {
    case "string":
      return typeof value === "string" ? undefined : `must be a string (got ${kindOf(value)})`;
    case "integer":
      return typeof value === "number" && Number.isInteger(value)
        ? undefined
        : `must be a whole number (got ${kindOf(value)})`;
    case "number":
      return typeof value === "number" && Number.isFinite(value)
        ? undefined
        : `must be a number (got ${kindOf(value)})`;
    case "boolean":
      return typeof value === "boolean" ? undefined : `must be true or false (got ${kindOf(value)})`;
    case "enum":
      return typeof value === "string" && shape.values.includes(value)
        ? undefined
        : `must be one of ${shape.values.join(", ")} (got ${kindOf(value)})`;
    case "map":
      if (!value || typeof value !== "object" || Array.isArray(value))
        return `must be a map of strings (got ${kindOf(value)})`;
      for (const [key, inner] of Object.entries(value)) {
        if (typeof inner !== "string" && !isUnknown(inner))
          return `must map every key to a string, but key ${shown(key)} holds ${kindOf(inner)}`;
      }
      return undefined;
    case "array":
      if (!Array.isArray(value)) return `must be a list (got ${kindOf(value)})`;
      value.forEach((item, index) => {
        if (isUnknown(item)) return;
        const itemPath = `${path}[${index}]`;
        const problem = checkShape(itemPath, item, shape.items, failures);
        if (problem) failures.push(failure(itemPath, problem));
      });
      return undefined;
    case "object": {
      if (!value || typeof value !== "object" || Array.isArray(value))
        return `must be a ${shape.typeName} object (got ${kindOf(value)})`;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!shape.properties.some((p) => p.name === key)) {
          failures.push(failure(`${path}.${key}`, `is not a field of ${shape.typeName}`));
        }
      }
      for (const name of shape.required) {
        if (isMissing(record[name])) failures.push(failure(`${path}.${name}`, "is required"));
      }
      for (const nested of shape.properties) {
        const inner = record[nested.name];
        if (inner === undefined || inner === null) continue;
        validateValue(`${path}.${nested.name}`, inner, nested, failures);
      }
      return undefined;
    }
  }
}

const RESERVED_TAG_PREFIXES = ["aliyun", "acs:"];

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function constraintProblem(value: unknown, rules: Validation, shape: PropertyType): string | undefined {
  if (typeof value === "string") {
    if (rules.minLength !== undefined && value.length < rules.minLength)
      return `must be at least ${rules.minLength} characters long`;
    if (rules.maxLength !== undefined && value.length > rules.maxLength) {
      return `must be at most ${rules.maxLength} characters long (got ${value.length})`;
    }
    if (rules.notStartsWith?.some((prefix) => value.toLowerCase().startsWith(prefix))) {
      return `cannot start with ${rules.notStartsWith.join(" or ")}`;
    }
    if (rules.pattern && !new RegExp(rules.pattern, "u").test(value)) {
      return `${rules.patternDescription ?? `must match ${rules.pattern}`} (got ${shown(value)})`;
    }
    if (rules.hostnameTemplate) {
      const problem = hostnameTemplateProblem(value, 1);
      if (problem) return hostnamePhrase(value, problem);
    }
    if (rules.ipv4 && !IPV4.test(value)) return `must be an IPv4 address (got ${shown(value)})`;
    if (rules.json) {
      try {
        JSON.parse(value);
      } catch {
        return `must be a JSON string (got ${shown(value)})`;
      }
    }
    if (rules.duration && parseDuration(value) === undefined) {
      return `must be a duration such as "30m", "90s" or "1h30m" (got ${shown(value)})`;
    }
  }
  if (typeof value === "number") {
    if (rules.minimumUnlessZero !== undefined && value !== 0 && value < rules.minimumUnlessZero) {
      return `must be 0 or at least ${rules.minimumUnlessZero} (got ${value})`;
    }
    if (rules.minimum !== undefined && value < rules.minimum)
      return `must be at least ${rules.minimum} (got ${value})`;
    if (rules.maximum !== undefined && value > rules.maximum)
      return `must be at most ${rules.maximum} (got ${value})`;
    if (rules.multipleOf !== undefined && value % rules.multipleOf !== 0) {
      return `must be a multiple of ${rules.multipleOf} (got ${value})`;
    }
  }
  if (Array.isArray(value)) {
    // Values unknown during preview may turn out to be anything: only the known ones are held to the rules.
    const known = value.filter((item) => !isUnknown(item));
    if (rules.minItems !== undefined && value.length < rules.minItems)
      return `must have at least ${rules.minItems} item(s)`;
    if (rules.maxItems !== undefined && value.length > rules.maxItems) {
      return `must have at most ${rules.maxItems} items (got ${value.length})`;
    }
    if (rules.uniqueItems && new Set(known).size !== known.length) {
      const duplicate = known.find((item, index) => known.indexOf(item) !== index);
      return `must not contain duplicates (${shown(duplicate)} appears more than once)`;
    }
    if (rules.pattern && shape.type === "array") {
      const pattern = new RegExp(rules.pattern, "u");
      const bad = known.find((item) => typeof item === "string" && !pattern.test(item));
      if (bad !== undefined)
        return `items ${rules.patternDescription ?? `must match ${rules.pattern}`} (got ${shown(bad)})`;
    }
  }
  if (shape.type === "map" && value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (rules.minProperties !== undefined && entries.length < rules.minProperties) {
      return `must have at least ${rules.minProperties} entry`;
    }
    if (rules.maxProperties !== undefined && entries.length > rules.maxProperties) {
      return `must have at most ${rules.maxProperties} entries (got ${entries.length})`;
    }
    if (rules.tagRules) return tagProblem(entries);
  }
  return undefined;
}

/** ECD's tag rules (TagResources): key 1 to 128 characters, value up to 128, reserved prefixes. */
function tagProblem(entries: [string, unknown][]): string | undefined {
  for (const [key, tagValue] of entries) {
    if (key.length < 1 || key.length > 128)
      return `key ${shown(key)} must be 1 to 128 characters long (it has ${key.length})`;
    if (RESERVED_TAG_PREFIXES.some((prefix) => key.toLowerCase().startsWith(prefix)))
      return `key ${shown(key)} cannot start with aliyun or acs:`;
    if (key.startsWith(PROVIDER_TAG_PREFIX))
      return `key ${shown(key)} is reserved: keys starting with ${PROVIDER_TAG_PREFIX} are the provider's own tags`;
    if (/https?:\/\//i.test(key)) return `key ${shown(key)} cannot contain http:// or https://`;
    if (typeof tagValue === "string" && tagValue.length > 128)
      return `value of key ${shown(key)} must be at most 128 characters long (it has ${tagValue.length})`;
    if (typeof tagValue === "string" && tagValue.toLowerCase().startsWith("acs:"))
      return `value of key ${shown(key)} cannot start with acs:`;
    if (typeof tagValue === "string" && /https?:\/\//i.test(tagValue))
      return `value of key ${shown(key)} cannot contain http:// or https://`;
  }
  return undefined;
}
