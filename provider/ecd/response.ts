/**
 * Checks a success answer before anyone reads it: a JSON object, no error Code inside (some gateways answer
 * HTTP 200 with one), and the lists the operation must return. A malformed answer is reported, never read as
 * an empty result: a DescribeDesktops without Desktops is not "no desktops".
 */
import { fromWire } from "./wire";

export type Decoded<T> =
  | { kind: "ok"; value: T }
  /** HTTP 200 whose body carries an error Code and Message. */
  | { kind: "error"; code: string; message: string; requestId?: string }
  | { kind: "malformed"; what: string; requestId?: string };

/** Codes that some ECD answers carry on success. */
const SUCCESS_CODES = new Set(["200", "OK", "ok", "Success", "success"]);

/** Keys an answer always carries, at least one of them, each of the given type when present. */
export type ResponseFields = Readonly<Record<string, "list" | "string">>;

const hasType = (value: unknown, type: "list" | "string"): boolean =>
  type === "list" ? Array.isArray(value) : typeof value === "string" && value !== "";

export function decodeResponse<T>(body: unknown, returns: ResponseFields = {}): Decoded<T> {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    return { kind: "malformed", what: "the answer was not a JSON object" };
  }
  const record = body as Record<string, unknown>;
  const requestId = typeof record.RequestId === "string" && record.RequestId ? record.RequestId : undefined;
  const code = record.Code;
  if (typeof code === "string" && code !== "" && !SUCCESS_CODES.has(code)) {
    const message = typeof record.Message === "string" && record.Message ? record.Message : "no message";
    return { kind: "error", code, message, requestId };
  }
  const expected = Object.entries(returns);
  const wrong = expected.filter(([key, type]) => record[key] != null && !hasType(record[key], type));
  if (wrong.length) {
    const [key, type] = wrong[0];
    return { kind: "malformed", what: `the answer's ${key} was not a ${type}`, requestId };
  }
  if (expected.length && !expected.some(([key, type]) => hasType(record[key], type))) {
    const names = expected.map(([key]) => key);
    return {
      kind: "malformed",
      what: `the answer had no ${names.join(" and no ")}, which this operation always returns`,
      requestId,
    };
  }
  return { kind: "ok", value: fromWire<T>(record) };
}
