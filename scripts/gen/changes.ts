import { ChangeBehaviour } from "../../schema";

/** How a change to an input is applied, in the words the SDK docs and the reference use. */
export function changeText(change: ChangeBehaviour, nestedTypeName?: string): string {
  switch (change.kind) {
    case "update":
      return (
        `in place via ${change.api}${change.note === undefined ? "" : ` (${change.note})`}` +
        (change.unsetKeeps ? "; unsetting it leaves the desktops as they are" : "")
      );
    case "replace":
      return "replace";
    case "creation-only":
      return "creation-only";
    case "provider":
      return "provider-only";
    case "nested":
      return `per field (see the fields of ${nestedTypeName ?? "the object type"})`;
  }
}
